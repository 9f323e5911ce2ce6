/** Qwen, DeepSeek and OpenAI Compatible over real HTTP: same engine as OpenAI, their own bodies and quirks. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { call, errorOf } from "./test-client";

let emulator: Emulator;
const host = (provider: string) => emulatorApiHost(emulator.url, provider);
const probe = (model: string) => ({ model, max_tokens: 1, messages: [{ role: "user", content: "hi" }] });
const ids = (body: unknown) => (body as { data: { id: string }[] }).data.map((m) => m.id);
const toolProbe = (model: string, toolChoice: string) => ({
  ...probe(model),
  max_tokens: 32,
  tools: [
    { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
  ],
  tool_choice: toolChoice,
});
const toolCalls = (body: unknown) =>
  (body as { choices: { message: { tool_calls?: { function: { name: string } }[] } }[] }).choices[0]!.message.tool_calls?.map(
    (c) => c.function.name,
  );

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

describe("qwen", () => {
  it("serves models and chat at …/qwen/compatible-mode/v1", async () => {
    expect(host("qwen")).toBe(`${emulator.url}/qwen/compatible-mode/v1`);
    const list = await call(host("qwen"), "/models", { key: "sk-valid" });
    expect(ids(list.json)).toContain("qwen-plus");
    const chat = await call(host("qwen"), "/chat/completions", { key: "sk-valid", body: probe("qwen-plus") });
    expect(chat.json).toMatchObject({ object: "chat.completion", model: "qwen-plus", choices: [{ message: { content: "O" } }] });
  });

  it("answers DashScope's bodies: key not echoed, request_id, Throttling.RateQuota", async () => {
    const bad = await call(host("qwen"), "/models", { key: "sk-bad-0123456789abcdef" });
    expect(bad.status).toBe(401);
    expect(errorOf(bad)).toMatchObject({ code: "invalid_api_key" });
    expect(errorOf(bad).message).toMatch(/^Incorrect API key provided\./);
    expect(bad.text).not.toContain("0123456789abcdef");
    expect((bad.json as { request_id?: string }).request_id).toMatch(/^[0-9a-f-]{36}$/);

    const model = await call(host("qwen"), "/chat/completions", { key: "sk-valid", body: probe("qwen-x") });
    expect(model.status).toBe(404);
    expect(errorOf(model)).toMatchObject({
      code: "model_not_found",
      message: "The model `qwen-x` does not exist or you do not have access to it.",
    });

    const quota = await call(host("qwen"), "/chat/completions", { key: "sk-quota", body: probe("qwen-plus") });
    expect(quota.status).toBe(429);
    expect(errorOf(quota)).toMatchObject({ code: "insufficient_quota" });

    const rate = await call(host("qwen"), "/chat/completions", { key: "sk-ratelimit", body: probe("qwen-plus") });
    expect(rate.status).toBe(429);
    expect(errorOf(rate)).toMatchObject({ code: "Throttling.RateQuota" });
  });

  it("retrieves a model by id, 404 model_not_found for an unknown one", async () => {
    const known = await call(host("qwen"), "/models/qwen-max", { key: "sk-valid" });
    expect(known.json).toMatchObject({ id: "qwen-max", object: "model" });
    const unknown = await call(host("qwen"), "/models/qwen-x", { key: "sk-valid" });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ code: "model_not_found" });
  });

  it("keys are regional: intl keys only on …/qwen/intl/compatible-mode/v1, others only on the default host", async () => {
    const intlHost = `${emulator.url}/qwen/intl/compatible-mode/v1`;
    expect((await call(host("qwen"), "/models", { key: "sk-intl-1" })).status).toBe(401);
    expect(errorOf(await call(host("qwen"), "/models", { key: "sk-intl-1" })).message).toMatch(/^Incorrect API key provided\./);
    expect((await call(intlHost, "/models", { key: "sk-intl-1" })).status).toBe(200);
    expect((await call(intlHost, "/models", { key: "sk-valid" })).status).toBe(401);
  });

  it("tools: required refused (param tool_choice), auto called; notools answers without a call", async () => {
    const required = await call(host("qwen"), "/chat/completions", { key: "sk-valid", body: toolProbe("qwen-plus", "required") });
    expect(required.status).toBe(400);
    expect(errorOf(required)).toMatchObject({ param: "tool_choice", code: "invalid_parameter_error" });
    const auto = await call(host("qwen"), "/chat/completions", { key: "sk-valid", body: toolProbe("qwen-plus", "auto") });
    expect(toolCalls(auto.json)).toEqual(["get_weather"]);
    const none = await call(host("qwen"), "/chat/completions", { key: "sk-notools", body: toolProbe("qwen-plus", "auto") });
    expect(none.status).toBe(200);
    expect(toolCalls(none.json)).toBeUndefined();
  });
});

describe("deepseek", () => {
  it("serves the API both at the root and under /v1", async () => {
    expect(host("deepseek")).toBe(`${emulator.url}/deepseek`);
    for (const base of [host("deepseek"), `${host("deepseek")}/v1`]) {
      const list = await call(base, "/models", { key: "sk-valid" });
      expect(ids(list.json)).toEqual(["deepseek-chat", "deepseek-reasoner"]);
      expect((list.json as { data: object[] }).data[0]).not.toHaveProperty("created");
      const chat = await call(base, "/chat/completions", { key: "sk-valid", body: probe("deepseek-chat") });
      expect(chat.status).toBe(200);
    }
  });

  it("reports the balance, empty for quota keys", async () => {
    const ok = await call(host("deepseek"), "/user/balance", { key: "sk-valid" });
    expect(ok.json).toMatchObject({ is_available: true, balance_infos: [{ currency: "CNY", total_balance: "110.00" }] });
    const empty = await call(host("deepseek"), "/user/balance", { key: "sk-quota" });
    expect(empty.json).toMatchObject({ is_available: false, balance_infos: [{ total_balance: "0.00" }] });
    expect((await call(host("deepseek"), "/user/balance", { key: "sk-bad-1" })).status).toBe(401);
  });

  it("answers DeepSeek's bodies: ****last4, 400 Model Not Exist, 402 Insufficient Balance", async () => {
    const bad = await call(host("deepseek"), "/models", { key: "sk-bad-0123456789_KEY" });
    expect(bad.status).toBe(401);
    expect(errorOf(bad)).toMatchObject({
      message: "Authentication Fails, Your api key: ****_KEY is invalid",
      type: "authentication_error",
    });
    const missing = await call(host("deepseek"), "/models");
    expect(missing.status).toBe(401);
    const model = await call(host("deepseek"), "/chat/completions", { key: "sk-valid", body: probe("deepseek-x") });
    expect(model.status).toBe(400);
    expect(errorOf(model).message).toBe("Model Not Exist");
    const quota = await call(host("deepseek"), "/chat/completions", { key: "sk-quota", body: probe("deepseek-chat") });
    expect(quota.status).toBe(402);
    expect(errorOf(quota).message).toBe("Insufficient Balance");
    const shape = await call(host("deepseek"), "/chat/completions", { key: "sk-valid", body: { model: "deepseek-chat" } });
    expect(shape.status).toBe(422);
  });

  it("tools: called with tool_choice required; notools → 400 does not support Function Calling", async () => {
    const ok = await call(host("deepseek"), "/chat/completions", { key: "sk-valid", body: toolProbe("deepseek-chat", "required") });
    expect(toolCalls(ok.json)).toEqual(["get_weather"]);
    const refused = await call(host("deepseek"), "/chat/completions", {
      key: "sk-notools",
      body: toolProbe("deepseek-reasoner", "required"),
    });
    expect(refused.status).toBe(400);
    expect(errorOf(refused).message).toBe("deepseek-reasoner does not support Function Calling");
  });
});

describe("openai-compatible", () => {
  it("needs no key, but refuses a bad one with vLLM's bare error", async () => {
    expect(host("openai-compatible")).toBe(`${emulator.url}/compatible/v1`);
    const list = await call(host("openai-compatible"), "/models");
    expect(list.status).toBe(200);
    expect(ids(list.json)).toContain("meta-llama/Llama-3.1-8B-Instruct");
    const chat = await call(host("openai-compatible"), "/chat/completions", { body: probe("meta-llama/Llama-3.1-8B-Instruct") });
    expect(chat.status).toBe(200);
    const bad = await call(host("openai-compatible"), "/models", { key: "bad" });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ error: "Unauthorized" });
  });

  it("answers vLLM / FastAPI shapes for unknown models and paths", async () => {
    const model = await call(host("openai-compatible"), "/chat/completions", { body: probe("gpt-4o") });
    expect(model.status).toBe(404);
    expect(model.json).toMatchObject({ object: "error", type: "NotFoundError", code: 404, message: "The model `gpt-4o` does not exist." });
    const path = await call(host("openai-compatible"), "/nope");
    expect(path.status).toBe(404);
    expect(path.json).toEqual({ detail: "Not Found" });
  });

  it("…/compatible/nolist/v1 (or a nolist key) has no GET /models, chat still works", async () => {
    const nolist = `${emulator.url}/compatible/nolist/v1`;
    const list = await call(nolist, "/models");
    expect(list.status).toBe(404);
    expect(list.json).toEqual({ detail: "Not Found" });
    expect((await call(nolist, "/chat/completions", { body: probe("meta-llama/Llama-3.1-8B-Instruct") })).status).toBe(200);
    expect((await call(host("openai-compatible"), "/models", { key: "sk-nolist-1" })).status).toBe(404);
  });

  it("…/compatible/ollama/v1 (or an ollama key) answers like Ollama", async () => {
    const ollama = `${emulator.url}/compatible/ollama/v1`;
    expect(ids((await call(ollama, "/models")).json)).toEqual(["llama3.2:latest", "qwen2.5:7b"]);
    const alias = await call(ollama, "/chat/completions", { body: probe("llama3.2") });
    expect(alias.json).toMatchObject({ model: "llama3.2:latest" });
    const missing = await call(ollama, "/chat/completions", { body: probe("llama9") });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'model "llama9" not found, try pulling it first' });
    const path = await call(ollama, "/nope");
    expect(path.status).toBe(404);
    expect(path.text).toBe("404 page not found");
    expect(ids((await call(host("openai-compatible"), "/models", { key: "ollama" })).json)).toContain("llama3.2:latest");
    const tools = await call(ollama, "/chat/completions", { key: "notools", body: toolProbe("llama3.2", "required") });
    expect(tools.status).toBe(400);
    expect(tools.json).toEqual({ error: "registry.ollama.ai/library/llama3.2:latest does not support tools" });
  });

  it("tools: vLLM calls them; a notools server refuses like vLLM without --enable-auto-tool-choice", async () => {
    const model = "meta-llama/Llama-3.1-8B-Instruct";
    const ok = await call(host("openai-compatible"), "/chat/completions", { body: toolProbe(model, "required") });
    expect(toolCalls(ok.json)).toEqual(["get_weather"]);
    const refused = await call(host("openai-compatible"), "/chat/completions", { key: "notools", body: toolProbe(model, "auto") });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ object: "error", message: expect.stringContaining("--enable-auto-tool-choice") as unknown });
  });

  it("shares the infrastructure scenarios", async () => {
    expect((await call(host("openai-compatible"), "/models", { key: "error500" })).status).toBe(500);
    expect((await call(host("openai-compatible"), "/models", { key: "redirect" })).status).toBe(302);
    expect((await call(host("openai-compatible"), "/models", { key: "overloaded" })).status).toBe(503);
  });
});

it("records each provider's requests under its id", async () => {
  emulator.clear();
  for (const provider of ["qwen", "deepseek", "openai-compatible", "zai"]) await call(host(provider), "/models", { key: "sk-valid" });
  expect(emulator.requests().map((r) => r.provider)).toEqual(["qwen", "deepseek", "openai-compatible", "zai"]);
});
