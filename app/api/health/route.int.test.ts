import { afterEach, describe, expect, it, vi } from "vitest";

describe("GET /api/health", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers ok when the database answers", async () => {
    const { GET } = await import("./route");
    const res = await GET();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("answers 503 degraded when the database is down, logging it once in one line", async () => {
    const { closeDb } = await import("@/db/client");
    await closeDb();
    const saved = { url: process.env.DATABASE_URL, dir: process.env.PGLITE_DIR };
    process.env.DATABASE_URL = "postgres://byok:secret-password@127.0.0.1:9/nowhere";
    vi.resetModules();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const { GET } = await import("./route");
      for (let i = 0; i < 3; i++) {
        const res = await GET();
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({ status: "degraded", db: "down" });
      }
      const lines = errors.mock.calls.map((args) => args.join(" "));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[byok\] error: database unreachable: PostgreSQL at 127\.0\.0\.1:9\/nowhere reason=/);
      expect(lines[0]).not.toContain("secret-password");
      expect(lines[0]).not.toContain("\n");
    } finally {
      const { closeDb: closeBroken } = await import("@/db/client");
      await closeBroken();
      if (saved.url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved.url;
      vi.resetModules();
    }
  });
});
