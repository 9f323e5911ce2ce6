/**
 * PostgreSQL through postgres.js, made to fail fast rather than queue when the database goes away:
 *
 * - a circuit breaker (./breaker.ts) opened by any connection-class failure: while it is open,
 *   callers get AppError("unavailable") at once; a probe closes it when the database answers;
 * - once an outage is confirmed the pool is replaced, so requests that were waiting on the old
 *   connections are answered now and the new pool starts without reconnect back-off;
 * - bounded waits: a short connect timeout, a small capped reconnect back-off (postgres.js grows
 *   it to 20 s by default), and a watchdog that treats "agent queries pending, none answered for
 *   STALL_MS" as an outage (a hung server or a silent network drop sends no error at all).
 *
 * When healthy, the hot path costs what it did: a boolean check in db/client.ts and two counters.
 */
import "server-only";
import { AsyncResource } from "node:async_hooks";
import type { Sql } from "postgres";
import { initOutsideRequests, outsideRequests } from "@/lib/outside-requests";
import { mayWrite, noteLocalWrite } from "./local-writes";
import { migrateDatabase } from "./migrate";
import { CircuitBreaker, isConnectionFailure, unavailableError } from "./breaker";
import type { Database, PreparedQuery } from "./client";
import * as schema from "./schema";

const CONNECT_TIMEOUT_S = 3;
const PROBE_TIMEOUT_MS = 4000;
const STALL_MS = 3000;
const WATCH_EVERY_MS = 500;
/** postgres.js waits this long (seconds) before reconnecting a connection that failed. */
const reconnectBackoff = (retries: number) => Math.min(0.05 * 2 ** retries, 0.5);
const PREPARED = { prepare: true } as const;

export type PostgresHandle = {
  breaker: CircuitBreaker;
  /** The current pool's drizzle database (replaced after an outage). */
  db: () => Database;
  query: PreparedQuery;
  close: () => Promise<void>;
};

/** `select 1` on a fresh one-connection client; rejects unless answered within PROBE_TIMEOUT_MS. */
async function probe(url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, connect_timeout: PROBE_TIMEOUT_MS / 1000, backoff: () => 0, fetch_types: false, onnotice: () => {} });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS))),
    ]);
  } finally {
    clearTimeout(timer);
    void sql.end({ timeout: 0 }).catch(() => {});
  }
}

export async function openPostgres(url: string, options: { max: number; target: () => string }): Promise<PostgresHandle> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([import("postgres"), import("drizzle-orm/postgres-js")]);
  await migrateDatabase({ kind: "postgres", url });

  const breaker: CircuitBreaker = new CircuitBreaker({
    target: options.target,
    onOutage: () => replacePool(),
    probe: () => probe(url),
  });
  const noteFailure = (error: unknown) => {
    if (isConnectionFailure(error)) breaker.trip(error);
  };

  // postgres.js opens a connection (its socket and timers) inside whichever call first needs one,
  // and Node's AsyncLocalStorage copies the caller's store onto every resource created there: a
  // connection opened while a request was served kept that request's context alive as long as the
  // connection lived, and with it a server action's form (a provider key being saved). So every
  // call into postgres.js starts outside any request (lib/outside-requests.ts; the scope exists by
  // the time a pool is opened, at start-up). `await` gives the caller its own context back; a
  // transaction's body is bound to it.
  initOutsideRequests();

  const connect = () => {
    const sql = postgres(url, {
      max: options.max,
      connect_timeout: CONNECT_TIMEOUT_S,
      idle_timeout: 60,
      backoff: reconnectBackoff,
      // No array columns here; and its startup query rejects unhandled when a connection is cut mid-way.
      fetch_types: false,
      onnotice: () => {},
    });
    // drizzle's queries and transactions are watched too, so any caller's failure opens the breaker,
    // and completed writes are counted (before their caller resumes) for the resolution cache.
    const watched = new Proxy(sql, {
      get(target, property, receiver) {
        if (property === "unsafe" || property === "begin") {
          return (...args: unknown[]) => {
            const body = args.at(-1);
            if (property === "begin" && typeof body === "function")
              args[args.length - 1] = AsyncResource.bind(body as (...a: unknown[]) => unknown);
            // Attaching the handlers starts the query (postgres.js queries are lazy): outside.
            return outsideRequests(() => {
              const pending = (target[property] as (...a: unknown[]) => Promise<unknown>)(...args);
              if (property === "begin" || mayWrite(args[0])) pending.then(noteLocalWrite, noteFailure);
              else pending.catch(noteFailure);
              return pending;
            });
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    return { sql, db: drizzle(watched, { schema }) as unknown as Database };
  };

  let pool = connect();
  function replacePool() {
    const old = pool;
    pool = connect();
    void old.sql.end({ timeout: 0 }).catch(() => {}); // rejects what waits on it: answered 503 now
  }

  // The agent hot path, counted for the watchdog: no allocation beyond the query itself. Answers
  // (rows or an SQL error) are progress; connection failures are not.
  let pending = 0;
  let answered = 0;
  const query: PreparedQuery = async (text, params) => {
    const sql: Sql = pool.sql;
    pending++;
    try {
      const rows = await outsideRequests(() => sql.unsafe(text, params as Parameters<Sql["unsafe"]>[1], PREPARED).execute());
      answered++;
      return rows as unknown as Record<string, unknown>[];
    } catch (error) {
      if (!isConnectionFailure(error)) {
        answered++;
        throw error;
      }
      breaker.trip(error);
      throw unavailableError();
    } finally {
      pending--;
    }
  };

  let lastAnswered = 0;
  let stalledMs = 0;
  const watchdog = setInterval(() => {
    if (pending === 0 || answered !== lastAnswered) {
      lastAnswered = answered;
      stalledMs = 0;
      return;
    }
    stalledMs += WATCH_EVERY_MS;
    if (stalledMs < STALL_MS) return;
    stalledMs = 0;
    breaker.trip(new Error(`no answer from the database for ${STALL_MS / 1000} s`));
    replacePool();
  }, WATCH_EVERY_MS);
  watchdog.unref();

  return {
    breaker,
    db: () => pool.db,
    query,
    close: async () => {
      clearInterval(watchdog);
      breaker.stop();
      await pool.sql.end();
    },
  };
}
