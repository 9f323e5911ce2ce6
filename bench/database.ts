/**
 * The database a benchmark run uses: a fresh `byok_bench_<random>` database on the Postgres server
 * of DATABASE_URL (dropped at the end unless --keep-db), or PGlite in the run's temporary
 * directory. The bench process seeds it through its own connection, migrated with the app's
 * migrations, and closes it before the server starts (PGlite allows one process at a time).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { migrateDatabase } from "@/db/migrate";
import { onCleanup } from "./cleanup";

export type SeedDb = PgDatabase<PgQueryResultHKT>;
export type SeedConnection = { db: SeedDb; close: () => Promise<void> };

export type BenchDatabase = {
  kind: "postgres" | "pglite";
  /** Where it is, without credentials. */
  description: string;
  /** Engine version, for the results file. */
  version: string;
  /** Variables that point the server at this database. */
  serverEnv: Record<string, string>;
  /** A migrated connection for seeding. */
  open: () => Promise<SeedConnection>;
  /**
   * Counts agent tokens whose last_used_at was written since `since` (the server writes it at
   * most once a minute per token, after the response). Postgres only: PGlite is the server's alone.
   */
  tokenWritesSince?: (since: Date) => Promise<number>;
};

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** Creates `byok_bench_<random>` on the server of `adminUrl` and registers its drop. */
export async function preparePostgres(adminUrl: string, keep: boolean): Promise<BenchDatabase> {
  const { default: postgres } = await import("postgres");
  const name = `byok_bench_${randomBytes(5).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const benchUrl = url.toString();

  const admin = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  let version = "";
  try {
    const [row] = await admin<{ server_version: string }[]>`show server_version`;
    version = `PostgreSQL ${row?.server_version ?? "?"}`;
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  onCleanup(`drop database ${name}`, async () => {
    if (keep) {
      console.log(`kept database: ${redactUrl(benchUrl)}`);
      return;
    }
    const dropper = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
    try {
      // WITH (FORCE) (Postgres 13+) ends connections a killed server may have left behind.
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await dropper.end({ timeout: 5 });
    }
  });

  let observer: ReturnType<typeof postgres> | undefined;
  const tokenWritesSince = async (since: Date) => {
    if (!observer) {
      observer = postgres(benchUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
      onCleanup("close observer connection", () => observer?.end({ timeout: 5 }));
    }
    // Bounded above too: --no-last-used-writes seeds last_used_at in the future.
    const until = new Date(Date.now() + 1000);
    const [row] = await observer<{ n: string }[]>`
      select count(*) as n from agent_tokens where last_used_at >= ${since} and last_used_at <= ${until}`;
    return Number(row?.n ?? 0);
  };

  return {
    kind: "postgres",
    tokenWritesSince,
    description: `${url.hostname}:${url.port || "5432"}/${name}`,
    version,
    serverEnv: { DATABASE_URL: benchUrl },
    open: async () => {
      const { drizzle } = await import("drizzle-orm/postgres-js");
      await migrateDatabase({ kind: "postgres", url: benchUrl });
      const client = postgres(benchUrl, { max: 2, connect_timeout: 5, onnotice: () => {} });
      return { db: drizzle(client) as unknown as SeedDb, close: () => client.end({ timeout: 5 }) };
    },
  };
}

/** PGlite in `<workDir>/pglite`, the default directory of a server with BYOK_DATA_DIR=workDir. */
export async function preparePglite(workDir: string): Promise<BenchDatabase> {
  const dir = path.join(workDir, "pglite");
  // The package's exports do not include package.json: read it from node_modules.
  const pkg = JSON.parse(readFileSync(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")) as {
    version: string;
  };
  return {
    kind: "pglite",
    description: dir,
    version: `PGlite ${pkg.version}`,
    serverEnv: { DATABASE_URL: "", BYOK_DATA_DIR: workDir, PGLITE_DIR: "" },
    open: async () => {
      const [{ PGlite }, { drizzle }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
      mkdirSync(dir, { recursive: true });
      const client = await PGlite.create(dir);
      const db = drizzle(client);
      await migrateDatabase({ kind: "pglite", db });
      return { db: db as unknown as SeedDb, close: () => client.close() };
    },
  };
}

/**
 * Leaves the bulk load as a long-running database would be: VACUUM (visibility map, hint bits, so
 * the first reads do not write) and ANALYZE (planner statistics), then a CHECKPOINT where allowed,
 * so neither autovacuum nor the checkpointer flushes the load during the measurement.
 */
export async function settle(db: SeedDb): Promise<void> {
  await db.execute(sql`vacuum (analyze)`);
  try {
    await db.execute(sql`checkpoint`);
  } catch {
    // Needs superuser (or pg_checkpoint): skip.
  }
}
