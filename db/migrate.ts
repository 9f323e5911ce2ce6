/**
 * Applies the committed SQL migrations in db/migrations. On PostgreSQL the run holds an advisory
 * lock on a dedicated connection, so instances starting at once apply them exactly once.
 */
import path from "node:path";
import type { PgliteDatabase } from "drizzle-orm/pglite";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** Arbitrary constant shared by every BYOK instance: "byok" + "mig". */
const MIGRATION_LOCK_ID = 0x62796f6b6d6967n;

type Target =
  | { kind: "postgres"; url: string }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { kind: "pglite"; db: PgliteDatabase<any> };

export async function migrateDatabase(target: Target): Promise<void> {
  if (target.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(target.db, { migrationsFolder });
    return;
  }
  const [{ default: postgres }, { drizzle }, { migrate }] = await Promise.all([
    import("postgres"),
    import("drizzle-orm/postgres-js"),
    import("drizzle-orm/postgres-js/migrator"),
  ]);
  // fetch_types off: its start-up query rejects unhandled when a connection is cut while opening.
  const sql = postgres(target.url, { max: 1, connect_timeout: 5, fetch_types: false, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID.toString()}::bigint)`;
    try {
      await migrate(drizzle(sql), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID.toString()}::bigint)`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
