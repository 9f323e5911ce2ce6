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

// Generated secrets (auth secret, master key) go to a folder of this file's own, never to .data/.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "byok-file-"));
process.env.BYOK_DATA_DIR = dataDir;
delete process.env.PGLITE_DIR;
delete process.env.BYOK_ENCRYPTION_KEYS;

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
  cpSync(testDb.templateDir, path.join(dataDir, "pglite"), { recursive: true });
  cleanup = async () => {};
}

afterAll(async () => {
  const { stopResolutionCache } = await import("@/lib/resolution");
  await stopResolutionCache();
  const { closeDb } = await import("@/db/client");
  await closeDb();
  await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});
