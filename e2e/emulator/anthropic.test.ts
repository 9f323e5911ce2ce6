/** Anthropic emulation over real HTTP: paged models, lookup by alias, messages, tools and every key scenario. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { call, type CallResult } from "./test-client";

let emulator: Emulator;
let host: string;
const auth = (key?: string) => ({ ...(key === undefined ? {} : { "x-api-key": key }), "anthropic-version": "2023-06-01" });
const get = (path: string, key = "sk-ant-valid") => call(host, path, { headers: auth(key) });
const send = (key: string | undefined, body: unknown) => call(host, "/v1/messages", { headers: auth(key), body });
const probe = (model = "claude-sonnet-4-5") => ({ model, max_tokens: 1, messages: [{ role: "user", content: "hi" }] });
const errorOf = (res: CallResult) => (res.json as { error: { type: string; message: string } }).error;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
  host = emulatorApiHost(emulator.url, "anthropic");
});
afterAll(() => emulator.close());

describe("anthropic models", () => {
  it("is typed as …/anthropic and serves /v1 below it", () => {
    expect(host).toBe(`${emulator.url}/anthropic`);
  });

  it("lists models in Anthropic's shape, newest first, 20 per page by default", async () => {
    const res = await get("/v1/models");
    expect(res.status).toBe(200);
    const body = res.json as { data: Record<string, unknown>[]; has_more: boolean; first_id: string; last_id: string };
    expect(body.data).toHaveLength(5);
    expect(body.data[0]).toEqual({
      type: "model",
      id: "claude-haiku-4-5-20251001",
      display_name: "Claude Haiku 4.5",
      created_at: "2025-10-15T00:00:00Z",
    });
    expect(body).toMatchObject({ has_more: false, first_id: "claude-haiku-4-5-20251001", last_id: "claude-3-5-haiku-20241022" });
  });

  it("pages with limit and after_id, and rejects a limit over 1000", async () => {
    const first = (await get("/v1/models?limit=2")).json as { data: { id: string }[]; has_more: boolean; last_id: string };
    expect(first.data.map((m) => m.id)).toEqual(["claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929"]);
    expect(first.has_more).toBe(true);
    const last = (await get(`/v1/models?limit=2&after_id=claude-sonnet-4-20250514`)).json as { data: { id: string }[]; has_more: boolean };
    expect(last.data.map((m) => m.id)).toEqual(["claude-3-5-haiku-20241022"]);
    expect(last.has_more).toBe(false);
    const tooMany = await get("/v1/models?limit=1001");
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany).type).toBe("invalid_request_error");
  });

  it("resolves a model by id or alias, 404s an unknown one with not_found_error", async () => {
    expect((await get("/v1/models/claude-sonnet-4-5")).json).toMatchObject({ type: "model", id: "claude-sonnet-4-5-20250929" });
    const unknown = await get("/v1/models/claude-x");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ type: "error", error: { type: "not_found_error", message: "model: claude-x" } });
    expect((unknown.json as { request_id: string }).request_id).toMatch(/^req_011C/);
    expect(unknown.headers.get("request-id")).toBe((unknown.json as { request_id: string }).request_id);
  });

  it("answers a list over 2 MiB for huge keys", async () => {
    const res = await get("/v1/models", "sk-ant-huge-1");
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(2 * 1024 * 1024);
    expect((res.json as { data: { id: string }[] }).data[0]!.id).toBe("claude-haiku-4-5-20251001");
  });
});

describe("anthropic keys and headers", () => {
  it("401s a missing key, a Bearer-only request, and a bad key", async () => {
    expect(errorOf(await get("/v1/models", "")).message).toBe("x-api-key header is required");
    const bearer = await call(host, "/v1/models", { key: "sk-ant-valid", headers: { "anthropic-version": "2023-06-01" } });
    expect(bearer.status).toBe(401);
    expect(errorOf(bearer)).toEqual({ type: "authentication_error", message: "OAuth authentication is currently not supported." });
    const bad = await get("/v1/models", "sk-ant-BAD-1");
    expect(bad.status).toBe(401);
    expect(errorOf(bad)).toEqual({ type: "authentication_error", message: "invalid x-api-key" });
  });

  it("requires anthropic-version", async () => {
    const res = await call(host, "/v1/models", { headers: { "x-api-key": "sk-ant-valid" } });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({ type: "invalid_request_error", message: "anthropic-version: header is required" });
  });

  it("checks the key before the model", async () => {
    expect((await send("sk-ant-bad", probe("claude-x"))).status).toBe(401);
  });

  it("404s unknown paths (a doubled /v1 included) and 405s wrong methods", async () => {
    const doubled = await get("/v1/v1/models");
    expect(doubled.status).toBe(404);
    expect(errorOf(doubled).type).toBe("not_found_error");
    const wrong = await call(host, "/v1/messages", { headers: auth("sk-ant-valid") });
    expect(wrong.status).toBe(405);
  });
});

describe("anthropic messages", () => {
  it("answers a real-shaped message, honouring max_tokens", async () => {
    const res = await send("sk-ant-valid", probe());
    expect(res.status).toBe(200);
    const body = res.json as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "O" }],
      stop_reason: "max_tokens",
      usage: { output_tokens: 1 },
    });
    expect(body.id).toMatch(/^msg_01/);
  });

  it("rejects bad bodies like the real API", async () => {
    expect(errorOf(await send("sk-ant-valid", { model: "claude-sonnet-4-5", messages: [] })).message).toBe("max_tokens: Field required");
    expect(errorOf(await send("sk-ant-valid", { model: "claude-sonnet-4-5", max_tokens: 1 })).message).toBe("messages: Field required");
    expect((await call(host, "/v1/messages", { headers: auth("sk-ant-valid"), rawBody: "{" })).status).toBe(400);
  });

  it("404s an unknown model", async () => {
    const res = await send("sk-ant-valid", probe("claude-x"));
    expect(res.status).toBe(404);
    expect(errorOf(res)).toEqual({ type: "not_found_error", message: "model: claude-x" });
  });

  it("quota → 400 credit balance; ratelimit → 429 with retry-after; the list stays 200", async () => {
    const quota = await send("sk-ant-quota", probe());
    expect(quota.status).toBe(400);
    expect(errorOf(quota).type).toBe("invalid_request_error");
    expect(errorOf(quota).message).toMatch(/^Your credit balance is too low to access the Anthropic API/);
    const rate = await send("sk-ant-ratelimit", probe());
    expect(rate.status).toBe(429);
    expect(errorOf(rate).type).toBe("rate_limit_error");
    expect(rate.headers.get("retry-after")).toBe("12");
    expect((await get("/v1/models", "sk-ant-quota")).status).toBe(200);
  });

  it("overloaded → 529, error500 → HTML 500, redirect → 302, on every path", async () => {
    const overloaded = await get("/v1/models", "sk-ant-overloaded");
    expect(overloaded.status).toBe(529);
    expect(errorOf(overloaded)).toEqual({ type: "overloaded_error", message: "Overloaded" });
    const broken = await send("sk-ant-error500", probe());
    expect(broken.status).toBe(500);
    expect(broken.text).toMatch(/^<html>/);
    expect((await get("/v1/models", "sk-ant-redirect")).status).toBe(302);
  });

  it("calls the offered tool (the forced one) unless the key says notools", async () => {
    const tools = [
      { name: "other", description: "Other.", input_schema: { type: "object", properties: {} } },
      {
        name: "get_weather",
        description: "Weather.",
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ];
    const body = { ...probe(), max_tokens: 32, tools, tool_choice: { type: "tool", name: "get_weather" } };
    const used = (await send("sk-ant-valid", body)).json as { content: Record<string, unknown>[]; stop_reason: string };
    expect(used.stop_reason).toBe("tool_use");
    expect(used.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Paris" } });
    expect(used.content[0]!.id).toMatch(/^toolu_01/);
    const refused = (await send("sk-ant-notools", body)).json as { content: Record<string, unknown>[]; stop_reason: string };
    expect(refused.content[0]).toMatchObject({ type: "text" });
    expect(refused.stop_reason).not.toBe("tool_use");
  });
});
