import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminSql, withDatabase } from "@/test/pg-admin";
import { getDb } from "./client";
import { migrateDatabase, migrationsFolder } from "./migrate";

const migrationCount = readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql")).length;

describe("migrations", () => {
  it("concurrent first callers share one connection and one migration run", async () => {
    const [a, b, c] = await Promise.all([getDb(), getDb(), getDb()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    const rows = await a.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const n = (Array.isArray(rows) ? rows[0] : (rows as { rows: { n: number }[] }).rows[0]) as { n: number };
    expect(n.n).toBe(migrationCount);
  });

  it.runIf(Boolean(process.env.DATABASE_URL))("instances migrating one empty PostgreSQL at once apply each migration once", async () => {
    const base = process.env.DATABASE_URL!;
    const name = `byok_mig_${randomBytes(4).toString("hex")}`;
    const admin = adminSql(base);
    await admin.unsafe(`create database "${name}"`);
    try {
      const url = withDatabase(base, name);
      await Promise.all([1, 2, 3].map(() => migrateDatabase({ kind: "postgres", url })));
      const check = adminSql(url);
      const [row] = await check<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const [users] = await check<{ n: number }[]>`select count(*)::int as n from users`;
      await check.end();
      expect(row!.n).toBe(migrationCount);
      expect(users!.n).toBe(0);
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
