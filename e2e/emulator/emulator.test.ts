/** The emulator server over real HTTP: start, the request log (in process and over HTTP), clear, close. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../free-port";
import { emulatorApiHost, emulatorKey, SCENARIOS, scenarioOf, startEmulator, type Emulator, type RecordedRequest } from "./index";
import { call } from "./test-client";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

describe("startEmulator", () => {
  it("listens on 127.0.0.1 at a free port when given 0", () => {
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
  });

  it("listens on the port it is given", async () => {
    const port = await freePort();
    const fixed = await startEmulator({ port });
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
      expect((await call(fixed.url, "/__emulator/health")).json).toEqual({ ok: true });
    } finally {
      await fixed.close();
    }
  });

  it("rejects when the port is taken", async () => {
    await expect(startEmulator({ port: emulator.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("emulatorApiHost", () => {
  it("points at the provider's mount", () => {
    expect(emulatorApiHost(emulator.url, "openai")).toBe(`${emulator.url}/openai/v1`);
    expect(emulatorApiHost(`${emulator.url}/`, "openai")).toBe(`${emulator.url}/openai/v1`);
  });

  it("throws for a provider it does not emulate", () => {
    expect(() => emulatorApiHost(emulator.url, "nope")).toThrow(/no provider "nope"/);
  });
});

describe("request log", () => {
  it("records provider requests in order, with path+query, lower-cased headers and body", async () => {
    emulator.clear();
    const before = Date.now();
    await call(emulator.url, "/openai/v1/models?limit=2", { key: "sk-valid-1", headers: { "X-Trace-Id": "Abc" } });
    await call(emulator.url, "/openai/v1/chat/completions", {
      key: "sk-valid-2",
      body: { model: "gpt-4o", max_tokens: 1, messages: [{ role: "user", content: "hi" }] },
    });
    const log = emulator.requests();
    expect(log.map((r) => [r.provider, r.method, r.path])).toEqual([
      ["openai", "GET", "/openai/v1/models?limit=2"],
      ["openai", "POST", "/openai/v1/chat/completions"],
    ]);
    expect(log[0]!.headers.authorization).toBe("Bearer sk-valid-1");
    expect(log[0]!.headers["x-trace-id"]).toBe("Abc");
    expect(log[0]!.body).toBe("");
    expect(log[0]!.at).toBeGreaterThanOrEqual(before);
    expect(JSON.parse(log[1]!.body)).toMatchObject({ model: "gpt-4o", max_tokens: 1 });
  });

  it("records unknown paths as provider unknown and 404s them", async () => {
    emulator.clear();
    const res = await call(emulator.url, "/nowhere/v1/models", { key: "sk-valid-1" });
    expect(res.status).toBe(404);
    expect(emulator.requests()).toMatchObject([{ provider: "unknown", path: "/nowhere/v1/models" }]);
  });

  it("hands out copies and empties on clear()", async () => {
    emulator.clear();
    await call(emulator.url, "/openai/v1/models", { key: "sk-valid-1" });
    const copy = emulator.requests();
    copy[0]!.headers.authorization = "changed";
    copy.pop();
    expect(emulator.requests()[0]!.headers.authorization).toBe("Bearer sk-valid-1");
    emulator.clear();
    expect(emulator.requests()).toEqual([]);
  });

  it("serves the log over HTTP without recording its own requests, and clears on DELETE", async () => {
    emulator.clear();
    await call(emulator.url, "/openai/v1/models", { key: "sk-bad-1" });
    const listed = await call(emulator.url, "/__emulator/requests");
    expect(listed.status).toBe(200);
    const entries = listed.json as RecordedRequest[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ provider: "openai", method: "GET", path: "/openai/v1/models" });
    const cleared = await call(emulator.url, "/__emulator/requests", { method: "DELETE" });
    expect(cleared.status).toBe(204);
    expect(emulator.requests()).toEqual([]);
    expect((await call(emulator.url, "/__emulator/requests")).json).toEqual([]);
    expect((await call(emulator.url, "/__emulator/nope")).status).toBe(404);
  });
});

describe("scenario keys", () => {
  it("emulatorKey triggers its own scenario and nothing else", () => {
    for (const name of SCENARIOS) {
      const scenario = scenarioOf(emulatorKey(name));
      expect(SCENARIOS.filter((other) => scenario.has(other))).toEqual([name]);
    }
    const valid = scenarioOf(emulatorKey());
    expect(SCENARIOS.some((name) => valid.has(name))).toBe(false);
    expect(valid.missingKey).toBe(false);
    expect(scenarioOf("").missingKey).toBe(true);
  });
});

describe("close", () => {
  it("resolves promptly while a slow reply is pending, and stops listening", async () => {
    const slow = await startEmulator({ port: 0, slowMs: 60_000 });
    const pending = call(slow.url, "/openai/v1/models", { key: "sk-slow-1" }).then(
      (res) => res.status,
      () => "failed",
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(slow.requests()).toHaveLength(1);
    const started = Date.now();
    await slow.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await pending).toBe("failed");
    await expect(fetch(`${slow.url}/__emulator/health`)).rejects.toThrow();
  });
});
