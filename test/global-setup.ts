/**
 * Runs once per `npm test`: prepares a migrated template database for this run, which every
 * integration test file clones. PostgreSQL (DATABASE_URL set): a template database named after
 * the run, dropped at the end along with the per-file clones. PGlite: a migrated data directory
 * in a temp folder, copied per file.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { adminSql, withDatabase } from "./pg-admin";

declare module "vitest" {
  export interface ProvidedContext {
    testDb: { kind: "postgres"; baseUrl: string; template: string; prefix: string } | { kind: "pglite"; templateDir: string };
  }
}

export default async function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL?.trim();
  if (databaseUrl) {
    const prefix = `byok_t_${randomBytes(4).toString("hex")}`;
    const template = `${prefix}_tmpl`;
    const admin = adminSql(databaseUrl);
    await admin.unsafe(`create database "${template}"`);
    await admin.end();
    const { migrateDatabase } = await import("../db/migrate");
    await migrateDatabase({ kind: "postgres", url: withDatabase(databaseUrl, template) });
    project.provide("testDb", { kind: "postgres", baseUrl: databaseUrl, template, prefix });
    return async () => {
      const sql = adminSql(databaseUrl);
      const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`${prefix}%`}`;
      for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
      await sql.end();
    };
  }

  const base = mkdtempSync(path.join(os.tmpdir(), "byok-test-"));
  const templateDir = path.join(base, "template");
  const [{ PGlite }, { drizzle }, { migrateDatabase }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("../db/migrate"),
  ]);
  const client = await PGlite.create(templateDir);
  await migrateDatabase({ kind: "pglite", db: drizzle(client) });
  await client.close();
  project.provide("testDb", { kind: "pglite", templateDir });
  return () => rmSync(base, { recursive: true, force: true });
}
