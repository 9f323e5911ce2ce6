/** MiniMax emulation over real HTTP: errors as HTTP 200 + base_resp, no model list, every key scenario. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { call } from "./test-client";

let emulator: Emulator;
let host: string;
const chat = (key: string | undefined, body: unknown) => call(host, "/chat/completions", { key, body });
const probe = (model = "MiniMax-M2", extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 1,
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});
const baseResp = (body: unknown) => (body as { base_resp: { status_code: number; status_msg: string } }).base_resp;
const TOOLS = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
  host = emulatorApiHost(emulator.url, "minimax");
});
afterAll(() => emulator.close());

describe("minimax routes", () => {
  it("is mounted at /minimax with API Host …/minimax/v1", () => {
    expect(host).toBe(`${emulator.url}/minimax/v1`);
  });

  it("has no model list: GET /v1/models → plain-text 404 page not found", async () => {
    const res = await call(host, "/models", { key: "sk-valid" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(res.text).toBe("404 page not found");
  });

  it("answers a completion with base_resp 0; max_tokens 1 on a reasoning model → '<think>'", async () => {
    const res = await chat("sk-valid", probe());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      object: "chat.completion",
      model: "MiniMax-M2",
      choices: [{ finish_reason: "length", message: { role: "assistant", name: "MiniMax AI", content: "<think>" } }],
      base_resp: { status_code: 0, status_msg: "" },
    });
    const plain = await chat("sk-valid", probe("MiniMax-Text-01", { max_tokens: 100 }));
    expect(plain.json).toMatchObject({ choices: [{ finish_reason: "stop", message: { content: "OK. This is the emulator." } }] });
    const v2 = await call(host, "/text/chatcompletion_v2", { key: "sk-valid", body: probe() });
    expect(baseResp(v2.json).status_code).toBe(0);
  });
});

describe("minimax errors: HTTP 200 with a non-zero base_resp", () => {
  it("missing key → 1004, bad key → 2049 (bare base_resp)", async () => {
    for (const key of [undefined, ""]) {
      const res = await chat(key, probe());
      expect(res.status).toBe(200);
      expect(baseResp(res.json)).toEqual({ status_code: 1004, status_msg: expect.stringMatching(/^login fail/) });
    }
    const bad = await chat("sk-bad-1", probe("MiniMax-M9"));
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({ base_resp: { status_code: 2049, status_msg: "invalid api key" } });
  });

  it("unknown model → 2013 with an empty completion around it", async () => {
    const res = await chat("sk-valid", probe("MiniMax-M9"));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      choices: null,
      base_resp: { status_code: 2013, status_msg: "invalid params, unknown model 'MiniMax-M9'" },
    });
  });

  it("quota → 1008, ratelimit → 1002; bad bodies → 2013", async () => {
    expect(baseResp((await chat("sk-quota", probe())).json)).toEqual({ status_code: 1008, status_msg: "insufficient balance" });
    expect(baseResp((await chat("sk-ratelimit", probe())).json).status_code).toBe(1002);
    expect(baseResp((await call(host, "/chat/completions", { key: "sk-valid", rawBody: "{nope" })).json).status_code).toBe(2013);
    expect(baseResp((await chat("sk-valid", probe("MiniMax-M2", { max_tokens: 0 }))).json).status_code).toBe(2013);
    expect(baseResp((await chat("sk-valid", { model: "MiniMax-M2" })).json).status_code).toBe(2013);
  });
});

describe("minimax gateway scenarios and tools", () => {
  it("error500 → HTML 500, overloaded → 529, redirect → 302, on every path", async () => {
    const html = await chat("sk-error500", probe());
    expect(html.status).toBe(500);
    expect(html.text).toContain("<title>500 Internal Server Error</title>");
    const busy = await call(host, "/models", { key: "sk-overloaded" });
    expect(busy.status).toBe(529);
    expect(busy.json).toMatchObject({ error: { type: "overloaded_error" } });
    const moved = await chat("sk-redirect", probe());
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBeTruthy();
  });

  it("huge → a valid completion over 2 MiB", async () => {
    const res = await chat("sk-huge", probe());
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(2 * 1024 * 1024);
    expect(baseResp(res.json).status_code).toBe(0);
  });

  it("slow → answers after the delay", async () => {
    const started = Date.now();
    expect((await chat("sk-slow", probe())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("tools → a tool call (after thinking); notools or tool_choice none → text", async () => {
    const res = await chat("sk-valid", probe("MiniMax-M2", { max_tokens: 32, tools: TOOLS }));
    expect(res.json).toMatchObject({
      choices: [
        {
          finish_reason: "tool_calls",
          message: { tool_calls: [{ type: "function", function: { name: "get_weather", arguments: "{}" } }] },
        },
      ],
    });
    const refused = await chat("sk-notools", probe("MiniMax-M2", { max_tokens: 32, tools: TOOLS }));
    expect(refused.json).toMatchObject({ choices: [{ finish_reason: "stop" }] });
    expect(JSON.stringify(refused.json)).not.toContain("tool_calls");
    const none = await chat("sk-valid", probe("MiniMax-M2", { max_tokens: 32, tools: TOOLS, tool_choice: "none" }));
    expect(JSON.stringify(none.json)).not.toContain("tool_calls");
  });
});
