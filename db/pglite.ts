/**
 * Embedded PGlite (PostgreSQL compiled to WASM, inside this process): the default database when
 * DATABASE_URL is unset.
 *
 * Every call into it starts outside any request (lib/outside-requests.ts), as with postgres.js
 * (./postgres.ts). PostgreSQL arms timers of its own (setitimer, which PGlite's runtime turns into
 * setTimeout): one as it starts, then a ~10 s one from some statements, re-armed from its own
 * callback. Node's AsyncLocalStorage copies the current store onto every timer created under it:
 * the request whose statement armed it (a sign-up, with its password) stayed reachable for as long
 * as the process ran (seen in a heap snapshot, e2e/key-retention.spec.ts). Opening counts too: it
 * happens at start-up, or in the first request after a failed start-up open. `await` gives the
 * caller its own context back; a transaction's body is bound to it, so code inside a transaction
 * still sees its request.
 */
import "server-only";
import { AsyncResource } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { outsideRequests } from "@/lib/outside-requests";
import { migrateDatabase } from "./migrate";
import type { Database, PreparedQuery } from "./client";
import * as schema from "./schema";

export type PgliteHandle = {
  db: () => Database;
  query: PreparedQuery;
  close: () => Promise<void>;
  listen: (channel: string, fn: (payload: string) => void) => Promise<void>;
};

/** Methods whose last argument is a callback PGlite runs inside the call: bound to the caller's context. */
const WITH_BODY = new Set<PropertyKey>(["transaction", "runExclusive"]);

/**
 * The client with each method call started outside any request. Methods and getters run on the
 * client itself (it keeps its state in private fields, which a proxy receiver cannot read).
 */
function outsideRequestsClient(client: PGlite): PGlite {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      let method = wrapped.get(property);
      if (method === undefined) {
        const call = value as (...args: unknown[]) => unknown;
        method = (...args: unknown[]) => {
          const body = args.at(-1);
          if (WITH_BODY.has(property) && typeof body === "function")
            args[args.length - 1] = AsyncResource.bind(body as (...a: unknown[]) => unknown);
          return outsideRequests(() => call.apply(target, args));
        };
        wrapped.set(property, method);
      }
      return method;
    },
  });
}

/** Opens (and migrates) the database in `dir`: all of it outside any request, whoever asks first. */
export function openPglite(dir: string): Promise<PgliteHandle> {
  return outsideRequests(async () => {
    const [{ PGlite }, { drizzle }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
    if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
    const client = outsideRequestsClient(await PGlite.create(dir));
    const db = drizzle(client, { schema });
    await migrateDatabase({ kind: "pglite", db });
    const query: PreparedQuery = async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows;
    const listen = async (channel: string, fn: (payload: string) => void) => {
      await client.listen(channel, fn);
    };
    return { db: () => db as unknown as Database, query, close: () => client.close(), listen };
  });
}
