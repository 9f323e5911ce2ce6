/**
 * Start-up behaviour of the production server, without a browser: configuration errors stop it
 * with one line naming the variable; an unreachable database is reported, not fatal.
 */
import { expect, test } from "@playwright/test";
import { spawnAppServer } from "./app-server";

/** Starts a server that must refuse to start: exit code 1, `message` in its output, no stack trace. */
async function expectRefusal(name: string, env: Record<string, string>, message: string) {
  const server = await spawnAppServer(name, env);
  try {
    const code = await Promise.race([server.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
    expect(code).toBe(1);
    expect(server.output()).toContain(`cannot start: ${message}`);
    expect(server.output()).not.toMatch(/\n\s+at /);
  } finally {
    await server.stop();
  }
}

test.describe("server start-up", () => {
  test("production with DATABASE_URL and no AUTH_SECRET refuses to start, naming the variable", async () => {
    await expectRefusal("no-auth-secret", { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres" }, "AUTH_SECRET is not set");
  });

  test("SMTP_URL without APP_URL refuses to start, naming both", async () => {
    await expectRefusal("smtp-without-app-url", { SMTP_URL: "smtp://127.0.0.1:2525" }, "SMTP_URL is set but APP_URL is not");
  });

  test("an unreachable database gives one log line and a 503 health, not a crash", async () => {
    const server = await spawnAppServer("db-unreachable", {
      DATABASE_URL: "postgres://postgres:hunter2-password@127.0.0.1:9/byok",
      AUTH_SECRET: "e2e-secret-that-is-long-enough-for-auth-js",
      BYOK_ENCRYPTION_KEYS: `v1:${Buffer.alloc(32, 7).toString("base64")}`,
    });
    try {
      let health: Response | undefined;
      for (let i = 0; i < 60 && !health; i++) {
        health = await fetch(`${server.url}/api/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 250));
      }
      expect(health?.status).toBe(503);
      expect(await health!.json()).toEqual({ status: "degraded", db: "down" });
      expect((await fetch(`${server.url}/api/health`)).status).toBe(503);
      const login = await fetch(`${server.url}/login`);
      expect(login.status).toBe(200);
      const lines = server
        .output()
        .split("\n")
        .filter((l) => l.includes("database unreachable"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("PostgreSQL at 127.0.0.1:9/byok");
      expect(server.output()).not.toContain("hunter2-password");
      expect(server.output()).not.toMatch(/\n\s+at /);
    } finally {
      await server.stop();
    }
  });
});
