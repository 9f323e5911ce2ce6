/**
 * Before each integration test file: a fresh database of its own (cloned from the run's migrated
 * template), wired in through the same variables the app reads. After the file: closed and dropped.
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { adminSql, withDatabase } from "./pg-admin";

const testDb = inject("testDb");
let cleanup: () => Promise<void>;

if (testDb.kind === "postgres") {
  const name = `${testDb.prefix}_${randomBytes(4).toString("hex")}`;
  const admin = adminSql(testDb.baseUrl);
  await admin.unsafe(`create database "${name}" template "${testDb.template}"`);
  await admin.end();
  process.env.DATABASE_URL = withDatabase(testDb.baseUrl, name);
  cleanup = async () => {
    const sql = adminSql(testDb.baseUrl);
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.end();
  };
} else {
  delete process.env.DATABASE_URL;
  const dir = mkdtempSync(path.join(os.tmpdir(), "byok-file-"));
  cpSync(testDb.templateDir, path.join(dir, "pglite"), { recursive: true });
  process.env.BYOK_DATA_DIR = dir;
  delete process.env.PGLITE_DIR;
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
}

afterAll(async () => {
  const { closeDb } = await import("@/db/client");
  await closeDb();
  await cleanup();
});
