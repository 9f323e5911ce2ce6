/** OpenAI emulation over real HTTP: every key scenario, the model endpoints and chat completions. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { maskLikeOpenAi } from "./providers/openai";
import { call, errorOf } from "./test-client";

let emulator: Emulator;
let host: string;
const chat = (key: string | undefined, body: unknown) => call(host, "/chat/completions", { key, body });
const probe = (model = "gpt-4o") => ({ model, max_tokens: 1, messages: [{ role: "user", content: "hi" }] });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
  host = emulatorApiHost(emulator.url, "openai");
});
afterAll(() => emulator.close());

describe("openai models", () => {
  it("lists the models in OpenAI's shape", async () => {
    const res = await call(host, "/models", { key: "sk-valid-1" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = res.json as { object: string; data: { id: string; object: string; created: number; owned_by: string }[] };
    expect(body.object).toBe("list");
    expect(body.data.map((m) => m.id)).toEqual(["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini"]);
    expect(Object.keys(body.data[0]!).sort()).toEqual(["created", "id", "object", "owned_by"]);
    expect(body.data[0]).toMatchObject({ object: "model", owned_by: "system" });
  });

  it("retrieves a known model and 404s an unknown one", async () => {
    const known = await call(host, "/models/gpt-4.1-mini", { key: "sk-valid-1" });
    expect(known.status).toBe(200);
    expect(known.json).toMatchObject({ id: "gpt-4.1-mini", object: "model" });
    const unknown = await call(host, "/models/gpt-5x", { key: "sk-valid-1" });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toEqual({
      message: "The model `gpt-5x` does not exist or you do not have access to it.",
      type: "invalid_request_error",
      param: null,
      code: "model_not_found",
    });
  });

  it("keeps GET /models at 200 for quota and ratelimit keys", async () => {
    expect((await call(host, "/models", { key: "sk-quota-1" })).status).toBe(200);
    expect((await call(host, "/models", { key: "sk-ratelimit-1" })).status).toBe(200);
  });

  it("answers a valid JSON list over 2 MiB for huge keys", async () => {
    const res = await call(host, "/models", { key: "sk-huge-1" });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(2 * 1024 * 1024);
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(2 * 1024 * 1024);
    expect((res.json as { data: { id: string }[] }).data[0]!.id).toBe("gpt-4o");
  });
});

describe("openai keys", () => {
  it("401s a missing key with OpenAI's message", async () => {
    for (const key of [undefined, ""]) {
      const res = await call(host, "/models", { key });
      expect(res.status).toBe(401);
      const error = errorOf(res);
      expect(error.message).toMatch(/^You didn't provide an API key\./);
      expect(error).toMatchObject({ type: "invalid_request_error", code: null });
    }
  });

  it("401s a bad key, echoing it masked the way OpenAI does", async () => {
    const key = "sk-proj-bad-abcdefghijklmnopqrstuvwxyz0123MxYA";
    const res = await call(host, "/models", { key });
    expect(res.status).toBe(401);
    const error = errorOf(res);
    expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key", param: null });
    expect(error.message).toBe(
      `Incorrect API key provided: sk-proj-${"*".repeat(key.length - 12)}MxYA. ` +
        "You can find your API key at https://platform.openai.com/account/api-keys.",
    );
    expect(error.message).not.toContain(key);
  });

  it("matches scenarios case-insensitively and checks the key before the model", async () => {
    const res = await chat("sk-BAD-key-0000000000000000", probe("no-such-model"));
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe("invalid_api_key");
  });

  it("masks like OpenAI: short keys whole, long ones 8 + stars + 4", () => {
    expect(maskLikeOpenAi("kk")).toBe("kk");
    expect(maskLikeOpenAi("YOUR_API_KEY")).toBe("YOUR_API_KEY");
    expect(maskLikeOpenAi("key_8Tjw12345678rtUb")).toBe("key_8Tjw********rtUb");
  });
});

describe("openai chat completions", () => {
  it("answers a real-shaped completion, honouring max_tokens loosely", async () => {
    const res = await chat("sk-valid-1", probe());
    expect(res.status).toBe(200);
    const body = res.json as Record<string, unknown> & {
      choices: Record<string, unknown>[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(body).toMatchObject({ object: "chat.completion", model: "gpt-4o" });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.choices).toHaveLength(1);
    expect(body.choices[0]).toMatchObject({ index: 0, finish_reason: "length", message: { role: "assistant", content: "O" } });
    expect(body.usage.completion_tokens).toBe(1);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 1);

    const full = await chat("sk-valid-1", { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(full.json).toMatchObject({ choices: [{ finish_reason: "stop", message: { content: "OK. This is the emulator." } }] });
  });

  it("accepts max_completion_tokens, and o3-mini rejects max_tokens like the real API", async () => {
    const ok = await chat("sk-valid-1", { model: "o3-mini", max_completion_tokens: 1, messages: [{ role: "user", content: "hi" }] });
    expect(ok.status).toBe(200);
    const rejected = await chat("sk-valid-1", probe("o3-mini"));
    expect(rejected.status).toBe(400);
    expect(errorOf(rejected)).toMatchObject({ code: "unsupported_parameter", param: "max_tokens" });
  });

  it("calls the first tool with {} when tools are offered", async () => {
    const tools = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } },
      { type: "function", function: { name: "other", parameters: { type: "object", properties: {} } } },
    ];
    const res = await chat("sk-valid-1", { ...probe(), tools });
    const choice = (res.json as { choices: { finish_reason: string; message: Record<string, unknown> }[] }).choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message).toMatchObject({
      content: null,
      tool_calls: [{ type: "function", function: { name: "get_weather", arguments: "{}" } }],
    });
    const ignored = await chat("sk-notools-1", { ...probe(), tools });
    expect(ignored.json).toMatchObject({ choices: [{ finish_reason: "length", message: { content: "O" } }] });
    expect(JSON.stringify(ignored.json)).not.toContain("tool_calls");
  });

  it("404s an unknown model", async () => {
    const res = await chat("sk-valid-1", probe("gpt-5x"));
    expect(res.status).toBe(404);
    expect(errorOf(res)).toMatchObject({
      code: "model_not_found",
      message: "The model `gpt-5x` does not exist or you do not have access to it.",
    });
  });

  it("429s insufficient_quota for quota keys", async () => {
    const res = await chat("sk-quota-1", probe());
    expect(res.status).toBe(429);
    const error = errorOf(res);
    expect(error).toMatchObject({ type: "insufficient_quota", code: "insufficient_quota" });
    expect(error.message).toMatch(/^You exceeded your current quota, please check your plan and billing details\./);
  });

  it("429s rate_limit_exceeded (not quota) for ratelimit keys", async () => {
    const res = await chat("sk-ratelimit-1", probe());
    expect(res.status).toBe(429);
    const error = errorOf(res);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.type).not.toBe("insufficient_quota");
    expect(error.message).toMatch(/^Rate limit reached for gpt-4o in organization org-\S+ on tokens per min \(TPM\): /);
    expect(res.headers.get("retry-after")).toBe("2");
  });

  it("429s rate_limit_exceeded for a model whose name holds ratelimit, whatever the key", async () => {
    const res = await chat("sk-valid-1", probe("gpt-4o-ratelimit"));
    expect(res.status).toBe(429);
    expect(errorOf(res).code).toBe("rate_limit_exceeded");
    expect((await chat("sk-valid-1", probe())).status).toBe(200);
  });

  it("400s invalid JSON and bodies without model or messages", async () => {
    const invalid = await call(host, "/chat/completions", { key: "sk-valid-1", rawBody: "{not json" });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid)).toMatchObject({ type: "invalid_request_error" });
    expect(errorOf(invalid).message).toMatch(/could not parse the JSON body/);

    const noModel = await chat("sk-valid-1", { messages: [{ role: "user", content: "hi" }] });
    expect(noModel.status).toBe(400);
    expect(errorOf(noModel).message).toBe("you must provide a model parameter");

    const noMessages = await chat("sk-valid-1", { model: "gpt-4o" });
    expect(noMessages.status).toBe(400);
    expect(errorOf(noMessages)).toMatchObject({ param: "messages", code: "missing_required_parameter" });

    const empty = await chat("sk-valid-1", { model: "gpt-4o", messages: [] });
    expect(errorOf(empty)).toMatchObject({ param: "messages", code: "empty_array" });

    const zero = await chat("sk-valid-1", { ...probe(), max_tokens: 0 });
    expect(errorOf(zero)).toMatchObject({ param: "max_tokens", code: "integer_below_min_value" });

    const array = await call(host, "/chat/completions", { key: "sk-valid-1", body: [1] });
    expect(array.status).toBe(400);
  });
});

describe("openai infrastructure scenarios", () => {
  it("answers HTML 500 for error500 keys on every path", async () => {
    for (const path of ["/models", "/chat/completions", "/nope"]) {
      const res = await call(host, path, { key: "sk-error500-1", body: path === "/models" ? undefined : probe() });
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toBe("text/html");
      expect(res.text).toMatch(/^<html>[\s\S]*Bad Gateway[\s\S]*<\/html>/);
    }
  });

  it("answers 503 JSON for overloaded keys", async () => {
    const res = await chat("sk-overloaded-1", probe());
    expect(res.status).toBe(503);
    expect(errorOf(res)).toMatchObject({ type: "server_error" });
  });

  it("redirects redirect keys to a closed port on every path", async () => {
    for (const path of ["/models", "/anything"]) {
      const res = await call(host, path, { key: "sk-redirect-1" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("http://127.0.0.1:1/elsewhere");
    }
  });

  it("delays slow keys by slowMs, whatever the answer", async () => {
    const started = Date.now();
    const res = await call(host, "/models", { key: "sk-slow-1" });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    const slowBad = Date.now();
    expect((await call(host, "/models", { key: "sk-slow-bad-1" })).status).toBe(401);
    expect(Date.now() - slowBad).toBeGreaterThanOrEqual(280);
  });

  it("404s unknown paths and 405s wrong methods, in OpenAI's envelope", async () => {
    const unknown = await call(host, "/embeddingz", { key: "sk-valid-1" });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ message: "Invalid URL (GET /v1/embeddingz)", type: "invalid_request_error" });
    const wrong = await call(host, "/chat/completions", { key: "sk-valid-1" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(errorOf(wrong).message).toBe("Invalid method for URL (GET /v1/chat/completions)");
  });
});
