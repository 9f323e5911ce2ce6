/**
 * The database handle. DATABASE_URL set → PostgreSQL through postgres.js; unset → embedded PGlite
 * in .data/pglite. Either way the same drizzle schema and migrations, applied on first use, once
 * per process (and under an advisory lock on Postgres, so several instances starting together
 * migrate once).
 */
import "server-only";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { pgliteDir } from "@/lib/data-dir";
import { describeError, log } from "@/lib/log";
import { outsideRequests } from "@/lib/outside-requests";
import { isConnectionFailure, unavailableError, type CircuitBreaker } from "./breaker";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What domain functions take first: the database or a transaction inside it. */
export type Executor = Database | Transaction;

/**
 * A parameterised SQL text run as a server-side prepared statement (cached per connection).
 * `peek`, where present (the resolution cache, lib/resolution), answers synchronously from memory
 * when it can, and undefined when only the database can: callers use it to skip the await.
 */
export type PreparedQuery = ((text: string, params: unknown[]) => Promise<Record<string, unknown>[]>) & {
  peek?: (text: string, params: unknown[]) => Record<string, unknown>[] | undefined;
};

type Handle = {
  /** The current drizzle database (on PostgreSQL, replaced after an outage). */
  db: () => Database;
  query: PreparedQuery;
  close: () => Promise<void>;
  /** PGlite only: LISTEN on its one connection; `fn` runs at commit, before the writing query resolves. */
  listen?: (channel: string, fn: (payload: string) => void) => Promise<void>;
  /** PostgreSQL only: open while the database is unreachable (see ./breaker.ts). */
  breaker?: CircuitBreaker;
};

const holder = globalThis as typeof globalThis & {
  __byokDb?: Promise<Handle>;
  /** The same handle once opened, for the hot path's synchronous check. */
  __byokHandle?: Handle;
  __byokDbDown?: boolean;
};

/** A printable description of where the database is, without credentials. */
export function databaseTarget(): string {
  if (!env.DATABASE_URL) return `PGlite at ${pgliteDir()}`;
  try {
    const url = new URL(env.DATABASE_URL);
    return `PostgreSQL at ${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "PostgreSQL (unparseable DATABASE_URL)";
  }
}

function open(): Promise<Handle> {
  return env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX, target: databaseTarget })
    : openPglite(pgliteDir());
}

/** The process-wide handle, opened (connected and migrated) on first use. */
function handle(): Promise<Handle> {
  if (!holder.__byokDb) {
    // Kept for the life of the process: made outside any request (a retry after a failed start-up
    // open comes from one), so it holds no request's context (lib/outside-requests.ts).
    const attempt = outsideRequests(open);
    holder.__byokDb = attempt;
    attempt.then(
      (opened) => {
        if (holder.__byokDb === attempt) holder.__byokHandle = opened; // not when closed meanwhile
        if (holder.__byokDbDown) log.info("database reachable again", { target: databaseTarget() });
        holder.__byokDbDown = false;
      },
      (error: unknown) => {
        if (holder.__byokDb === attempt) holder.__byokDb = undefined;
        if (!holder.__byokDbDown) {
          log.error(`database unreachable: ${databaseTarget()}`, { reason: describeError(error) });
        }
        holder.__byokDbDown = true;
      },
    );
  }
  return holder.__byokDb;
}

/** A failed first open: unreachable → AppError("unavailable") (handle() logged it once), else as is. */
function unreachable(error: unknown): never {
  throw isConnectionFailure(error) ? unavailableError() : error;
}

/**
 * The process-wide database, connected and migrated. Concurrent first callers share one attempt;
 * a failed attempt is logged in one line and retried by the next caller. While PostgreSQL is known
 * to be unreachable it rejects at once with AppError("unavailable") instead of waiting.
 */
export async function getDb(): Promise<Database> {
  const opened = holder.__byokHandle ?? (await handle().catch(unreachable));
  if (opened.breaker?.open) throw unavailableError();
  return opened.db();
}

/**
 * Runs `text` as a prepared statement on the process-wide database (for the agent hot path).
 * Once open and healthy: one boolean check, then the query. Rejects with AppError("unavailable")
 * at once while the database is unreachable.
 */
export function preparedQuery(text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const opened = holder.__byokHandle;
  if (opened && !opened.breaker?.open) return opened.query(text, params);
  return preparedQueryOpening(text, params);
}

async function preparedQueryOpening(text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  await getDb();
  return holder.__byokHandle!.query(text, params);
}

/**
 * Embedded PGlite: LISTEN `channel` on its connection (notifications arrive at commit, before the
 * writing query resolves). False on PostgreSQL, where a listener needs a connection of its own.
 */
export async function listenEmbedded(channel: string, fn: (payload: string) => void): Promise<boolean> {
  if (env.DATABASE_URL) return false;
  await getDb();
  const opened = holder.__byokHandle!;
  if (!opened.listen) return false;
  await opened.listen(channel, fn);
  return true;
}

/** True when the database answers `select 1` within the timeout. Never throws. */
export async function pingDatabase(timeoutMs = 3000): Promise<boolean> {
  const { sql } = await import("drizzle-orm");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const check = (async () => {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return true as const;
  })().catch((error: unknown) => {
    // An open breaker has logged the outage already; a failed first open is logged by handle().
    if (!holder.__byokDbDown && !holder.__byokHandle) {
      log.error(`database unreachable: ${databaseTarget()}`, { reason: describeError(error) });
      holder.__byokDbDown = true;
    }
    return false as const;
  });
  try {
    const ok = await Promise.race([check, timeout]);
    if (ok && holder.__byokDbDown) {
      holder.__byokDbDown = false;
      log.info("database reachable again", { target: databaseTarget() });
    }
    return ok;
  } finally {
    clearTimeout(timer);
  }
}

/** Closes the connection (tests, CLI scripts). */
export async function closeDb(): Promise<void> {
  const pending = holder.__byokDb;
  holder.__byokDb = undefined;
  holder.__byokHandle = undefined;
  if (!pending) return;
  try {
    await (await pending).close();
  } catch {
    // Never connected: nothing to close.
  }
}
