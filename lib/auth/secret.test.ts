import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const saved = { ...process.env };

async function load(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const key of ["NODE_ENV", "DATABASE_URL", "AUTH_SECRET", "BYOK_DATA_DIR"]) delete process.env[key];
  Object.assign(process.env, vars);
  vi.spyOn(console, "error").mockImplementation(() => {});
  return import("./secret");
}

describe("authSecret", () => {
  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
  });

  it("in production with PostgreSQL, a missing AUTH_SECRET is an error naming the variable", async () => {
    const { authSecret } = await load({ NODE_ENV: "production", DATABASE_URL: "postgres://x@127.0.0.1/db" });
    expect(() => authSecret()).toThrowError(/AUTH_SECRET is not set/);
  });

  it("in embedded mode, generates one secret into the data folder (0600) and reuses it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "byok-secret-"));
    const first = (await load({ NODE_ENV: "production", BYOK_DATA_DIR: dir })).authSecret();
    const second = (await load({ NODE_ENV: "production", BYOK_DATA_DIR: dir })).authSecret();
    expect(first).toHaveLength(44);
    expect(second).toBe(first);
    const file = path.join(dir, "auth-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("uses AUTH_SECRET when set, and refuses a short one", async () => {
    const long = "x".repeat(40);
    expect((await load({ AUTH_SECRET: long, DATABASE_URL: "postgres://x@h/db", NODE_ENV: "production" })).authSecret()).toBe(long);
    const { authSecret } = await load({ AUTH_SECRET: "short" });
    expect(() => authSecret()).toThrowError(/AUTH_SECRET is too short/);
  });
});
