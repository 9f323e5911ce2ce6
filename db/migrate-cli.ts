/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded PGlite. */
import { mkdirSync } from "node:fs";
import { pgliteDir } from "@/lib/data-dir";
import { env } from "@/lib/env";
import { migrateDatabase } from "./migrate";

async function main() {
  const started = Date.now();
  if (env.DATABASE_URL) {
    await migrateDatabase({ kind: "postgres", url: env.DATABASE_URL });
  } else {
    const [{ PGlite }, { drizzle }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
    mkdirSync(pgliteDir(), { recursive: true });
    const client = await PGlite.create(pgliteDir());
    await migrateDatabase({ kind: "pglite", db: drizzle(client) });
    await client.close();
  }
  console.log(`migrations applied in ${Date.now() - started} ms`);
}

main().catch((error: unknown) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
