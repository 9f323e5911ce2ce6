/** OpenRouter emulation over real HTTP: GET /key, the public model list, chat with upstream quirks, every key scenario. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { call, type CallResult } from "./test-client";

let emulator: Emulator;
let host: string;
const chat = (key: string | undefined, body: unknown) => call(host, "/chat/completions", { key, body });
const probe = (model = "openai/gpt-4o-mini", extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 1,
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});
type RouterError = { error: { code: number; message: string; metadata?: { raw?: string; provider_name?: string } }; user_id?: string };
const errorOf = (res: CallResult) => (res.json as RouterError).error;
const tools = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
  host = emulatorApiHost(emulator.url, "openrouter");
});
afterAll(() => emulator.close());

describe("openrouter models (public)", () => {
  it("answers 200 without auth and for bad keys: the list proves nothing about a key", async () => {
    expect(host).toBe(`${emulator.url}/openrouter/api/v1`);
    for (const key of [undefined, "sk-or-v1-bad-1"]) {
      const res = await call(host, "/models", { key });
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/^\{"data":\[\{"id":"openai\/gpt-4o-mini"/);
    }
  });

  it("lists models in OpenRouter's shape", async () => {
    const body = (await call(host, "/models")).json as { data: Record<string, unknown>[] };
    expect(body.data).toHaveLength(7);
    expect(body.data[0]).toMatchObject({
      id: "openai/gpt-4o-mini",
      canonical_slug: "openai/gpt-4o-mini",
      name: "OpenAI: GPT-4o-mini",
      context_length: 128000,
      pricing: { prompt: "0.0000025" },
      supported_parameters: expect.arrayContaining(["tools", "tool_choice"]),
    });
  });

  it("answers a list over 4 MiB for huge keys, and the gateway scenarios on it too", async () => {
    const huge = await call(host, "/models", { key: "sk-or-v1-huge" });
    expect(Buffer.byteLength(huge.text)).toBeGreaterThan(4 * 1024 * 1024);
    expect((await call(host, "/models", { key: "sk-or-v1-error500" })).status).toBe(500);
    expect((await call(host, "/models", { key: "sk-or-v1-redirect" })).status).toBe(302);
    expect((await call(host, "/models", { key: "sk-or-v1-overloaded" })).status).toBe(200);
  });
});

describe("openrouter GET /key", () => {
  it("describes a valid key; 401s a missing or bad one", async () => {
    const res = await call(host, "/key", { key: "sk-or-v1-valid-abcdef" });
    expect(res.json).toMatchObject({
      data: { label: "sk-or-v1-val...def", limit: null, limit_remaining: null, usage: 25.5, is_free_tier: false },
    });
    const missing = await call(host, "/key");
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ error: { code: 401, message: "No auth credentials found" } });
    const bad = await call(host, "/key", { key: "sk-or-v1-bad" });
    expect(errorOf(bad)).toEqual({ code: 401, message: "User not found." });
  });

  it("a quota key with keylimit has used up its credit limit", async () => {
    expect((await call(host, "/key", { key: "sk-or-v1-keylimit-quota" })).json).toMatchObject({ data: { limit: 10, limit_remaining: 0 } });
    expect((await call(host, "/key", { key: "sk-or-v1-quota" })).json).toMatchObject({ data: { limit_remaining: null } });
  });

  it("404s unknown paths and 405s wrong methods", async () => {
    expect((await call(host, "/keys", { key: "sk-or-v1-valid" })).status).toBe(404);
    expect((await call(host, "/key", { key: "sk-or-v1-valid", method: "POST", body: {} })).status).toBe(405);
  });
});

describe("openrouter chat completions", () => {
  it("answers in OpenRouter's shape, honouring max_tokens; routing suffixes resolve", async () => {
    const res = await chat("sk-or-v1-valid", probe("openai/gpt-4o:nitro"));
    expect(res.json).toMatchObject({
      object: "chat.completion",
      model: "openai/gpt-4o",
      provider: "OpenAI",
      choices: [{ finish_reason: "length", native_finish_reason: "length", message: { role: "assistant", content: "O" } }],
    });
    expect((res.json as { id: string }).id).toMatch(/^gen-/);
  });

  it("400s an unknown model with the user_id; checks the key first", async () => {
    const res = await chat("sk-or-v1-valid", probe("openai/gpt-5x"));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error: { code: 400, message: "openai/gpt-5x is not a valid model ID" },
      user_id: expect.stringMatching(/^user_/),
    });
    expect((await chat("sk-or-v1-bad", probe("openai/gpt-5x"))).status).toBe(401);
  });

  it("an upstream wanting at least 16 output tokens refuses max_tokens 1", async () => {
    const refused = await chat("sk-or-v1-valid", probe("openai/gpt-5"));
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toMatchObject({ message: "Provider returned error", metadata: { provider_name: "OpenAI" } });
    expect(errorOf(refused).metadata?.raw).toContain("Expected a value >= 16");
    expect((await chat("sk-or-v1-valid", probe("openai/gpt-5", { max_tokens: 16 }))).status).toBe(200);
  });

  it("quota → 402 (403 Key limit exceeded with keylimit); ratelimit → 429 upstream; overloaded → 502 upstream", async () => {
    const quota = await chat("sk-or-v1-quota", probe());
    expect(quota.status).toBe(402);
    expect(errorOf(quota).message).toMatch(/^Insufficient credits/);
    const limited = await chat("sk-or-v1-keylimit-quota", probe());
    expect(limited.status).toBe(403);
    expect(errorOf(limited).message).toMatch(/^Key limit exceeded/);
    const rate = await chat("sk-or-v1-ratelimit", probe());
    expect(rate.status).toBe(429);
    expect(rate.headers.get("retry-after")).toBe("5");
    expect(errorOf(rate).metadata?.raw).toMatch(/temporarily rate-limited upstream/);
    const overloaded = await chat("sk-or-v1-overloaded", probe());
    expect(overloaded.status).toBe(502);
    expect(errorOf(overloaded)).toMatchObject({ message: "Provider returned error", metadata: { provider_name: "Anthropic" } });
  });

  it("calls the offered tool; a notools key or a model without tools gets 404 no endpoints", async () => {
    const used = (await chat("sk-or-v1-valid", probe("openai/gpt-4o", { tools, tool_choice: "required", max_tokens: 32 }))).json as {
      choices: { finish_reason: string; message: { tool_calls: Record<string, unknown>[] } }[];
    };
    expect(used.choices[0]!.finish_reason).toBe("tool_calls");
    expect(used.choices[0]!.message.tool_calls[0]).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    });
    for (const [key, model] of [
      ["sk-or-v1-notools", "openai/gpt-4o"],
      ["sk-or-v1-valid", "meta-llama/llama-3.3-70b-instruct:free"],
    ] as const) {
      const refused = await chat(key, probe(model, { tools }));
      expect(refused.status).toBe(404);
      expect(errorOf(refused).message).toMatch(/^No endpoints found that support tool use\. Try disabling "get_weather"\./);
    }
  });

  it("a model refusing a forced tool_choice takes auto", async () => {
    const forced = await chat("sk-or-v1-valid", probe("deepseek/deepseek-chat", { tools, tool_choice: "required" }));
    expect(forced.status).toBe(404);
    expect(errorOf(forced).message).toMatch(/support the provided 'tool_choice' value/);
    expect((await chat("sk-or-v1-valid", probe("deepseek/deepseek-chat", { tools, tool_choice: "auto" }))).status).toBe(200);
  });
});
