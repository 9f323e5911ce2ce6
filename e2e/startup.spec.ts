/**
 * Start-up behaviour of the production server, without a browser: configuration errors stop it
 * with one line naming the variable; an unreachable database is reported, not fatal.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "./free-port";

const root = path.resolve(__dirname, "..");

function start(env: Record<string, string>, port: number) {
  const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test.describe("server start-up", () => {
  test("production with DATABASE_URL and no AUTH_SECRET refuses to start, naming the variable", async () => {
    const server = start({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres", BYOK_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "byok-s-")) }, await freePort());
    const code = await Promise.race([server.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
    if (code === "timeout") server.child.kill("SIGKILL");
    expect(code).toBe(1);
    expect(server.output()).toContain("cannot start: AUTH_SECRET is not set");
    expect(server.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  test("SMTP_URL without APP_URL refuses to start, naming both", async () => {
    const server = start({ SMTP_URL: "smtp://127.0.0.1:2525", BYOK_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "byok-s-")) }, await freePort());
    const code = await Promise.race([server.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
    if (code === "timeout") server.child.kill("SIGKILL");
    expect(code).toBe(1);
    expect(server.output()).toContain("cannot start: SMTP_URL is set but APP_URL is not");
    expect(server.output()).not.toMatch(/\n\s+at /);
  });

  test("an unreachable database gives one log line and a 503 health, not a crash", async () => {
    const port = await freePort();
    const server = start(
      {
        DATABASE_URL: "postgres://postgres:hunter2-password@127.0.0.1:9/byok",
        AUTH_SECRET: "e2e-secret-that-is-long-enough-for-auth-js",
        BYOK_ENCRYPTION_KEYS: `v1:${Buffer.alloc(32, 7).toString("base64")}`,
      },
      port,
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | undefined;
      for (let i = 0; i < 60 && !health; i++) {
        health = await fetch(`${base}/api/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 250));
      }
      expect(health?.status).toBe(503);
      expect(await health!.json()).toEqual({ status: "degraded", db: "down" });
      expect((await fetch(`${base}/api/health`)).status).toBe(503);
      const login = await fetch(`${base}/login`);
      expect(login.status).toBe(200);
      const lines = server.output().split("\n").filter((l) => l.includes("database unreachable"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("PostgreSQL at 127.0.0.1:9/byok");
      expect(server.output()).not.toContain("hunter2-password");
      expect(server.output()).not.toMatch(/\n\s+at /);
    } finally {
      server.child.kill("SIGKILL");
    }
  });
});
