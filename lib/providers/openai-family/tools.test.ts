/** The tool probe's judgement, classifyWithCodes, and OpenAI's listModels / checkTools against the emulator. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/free-port";
import { bodyOf, expectNoSecret, routeOf, startKit, type Kit } from "@/test/provider-kit";
import type { ProviderAdapter } from "../types";
import { createOpenAIAdapter } from "./adapter";
import { classifyWithCodes } from "./classify";
import { complainsAboutToolChoice, toolProbeBody, toolSupportFrom } from "./tools";

const answer = (message: Record<string, unknown>, finish = "stop") =>
  JSON.stringify({
    id: "c",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish }],
  });
const err = (message: string, param: string | null = null) =>
  JSON.stringify({ error: { message, type: "invalid_request_error", param, code: null } });

describe("toolProbeBody", () => {
  it("offers get_weather with a tiny schema, the choice and a 32-token cap, plus extra fields", () => {
    const body = toolProbeBody("m", "required", "max_completion_tokens", { thinking: { type: "disabled" } });
    expect(body).toMatchObject({ model: "m", tool_choice: "required", max_completion_tokens: 32, thinking: { type: "disabled" } });
    expect(body).not.toHaveProperty("max_tokens");
    expect(body.tools).toEqual([
      expect.objectContaining({
        type: "function",
        function: expect.objectContaining({
          name: "get_weather",
          parameters: expect.objectContaining({ required: ["city"] }) as unknown,
        }) as unknown,
      }),
    ]);
    expect(body.messages).toHaveLength(1);
  });
});

describe("toolSupportFrom", () => {
  it("a tool call → supported (tool_calls or legacy function_call)", () => {
    const call = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } };
    expect(toolSupportFrom(200, answer({ content: null, tool_calls: [call] }, "tool_calls"), false, "required")).toBe("supported");
    expect(toolSupportFrom(200, answer({ content: null, function_call: call.function }), false, "auto")).toBe("supported");
  });
  it("an answer without a call → unsupported; cut off before any output → unknown", () => {
    expect(toolSupportFrom(200, answer({ content: "I cannot check the weather." }), false, "auto")).toBe("unsupported");
    expect(toolSupportFrom(200, answer({ content: "The weather in Paris is", tool_calls: [] }, "length"), false, "auto")).toBe(
      "unsupported",
    );
    expect(toolSupportFrom(200, answer({ content: "", reasoning_content: "Let me think" }, "length"), false, "auto")).toBe("unknown");
  });
  it("a 4xx saying tools are not supported → unsupported", () => {
    for (const message of [
      "registry.ollama.ai/library/gemma3:1b does not support tools",
      "deepseek-reasoner does not support Function Calling",
      "tools is not supported with this model.",
      "Function calling is not enabled for this model",
      "No endpoints found that support tool use.",
      '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
    ]) {
      expect(toolSupportFrom(400, err(message), false, "required"), message).toBe("unsupported");
    }
    expect(
      toolSupportFrom(404, JSON.stringify({ error: { message: "No endpoints found that support tool use.", code: 404 } }), false, "auto"),
    ).toBe("unsupported");
    expect(toolSupportFrom(400, "model does not support tools", false, "auto")).toBe("unsupported");
  });
  it("tool_choice refused again after the auto retry → unsupported; other failures → unknown", () => {
    expect(toolSupportFrom(400, err("Invalid value for tool_choice", "tool_choice"), false, "auto")).toBe("unsupported");
    expect(toolSupportFrom(400, err("Invalid value for tool_choice", "tool_choice"), false, "required")).toBe("unknown");
    for (const [status, body] of [
      [401, err("Incorrect API key provided")],
      [404, err("The model `x` does not exist")],
      [429, err("Rate limit reached")],
      [500, "<html><title>500</title></html>"],
      [200, ""],
      [200, "[]"],
      [200, '{"choices":[]}'],
      [200, '{"choices":[{"message":{"tool_calls":['],
    ] as const) {
      expect(toolSupportFrom(status, body, body.endsWith("["), "required"), `${status} ${body}`).toBe("unknown");
    }
  });
  it("spots a complaint about tool_choice", () => {
    expect(complainsAboutToolChoice(400, err("'tool_choice' must be auto or none", "tool_choice"))).toBe(true);
    expect(complainsAboutToolChoice(400, err('tool_choice = "required" is not supported!'))).toBe(true);
    expect(complainsAboutToolChoice(400, err("does not support tools"))).toBe(false);
    expect(complainsAboutToolChoice(500, err("tool_choice"))).toBe(false);
  });
});

describe("classifyWithCodes", () => {
  const classify = classifyWithCodes({ "1113": "quota_exceeded", "Model.AccessDenied": "invalid_model" });
  it("a listed code decides over the status; others and passing answers are untouched", () => {
    expect(classify(429, JSON.stringify({ error: { code: "1113", message: "Insufficient balance" } }), "invocation").outcome).toBe(
      "quota_exceeded",
    );
    expect(classify(403, JSON.stringify({ error: { code: "model.accessdenied", message: "x" } }), "invocation").outcome).toBe(
      "invalid_model",
    );
    expect(classify(429, JSON.stringify({ error: { code: "1302", message: "High concurrency" } }), "invocation").outcome).toBe(
      "rate_limited",
    );
    expect(classify(200, answer({ content: "O" }), "invocation").outcome).toBe("valid");
    expect(classify(500, "<html>", "key").outcome).toBe("provider_error");
  });
});

describe("OpenAI listModels and checkTools against the emulator", () => {
  let kit: Kit;
  let adapter: ProviderAdapter;
  const root = "/openai/v1";

  beforeAll(async () => {
    kit = await startKit("openai");
    adapter = createOpenAIAdapter({ fetch: kit.fetch, requestTimeoutMs: kit.requestTimeoutMs });
  });
  afterAll(() => kit.close());

  it("listModels: GET /models → the ids, Bearer auth", async () => {
    const cfg = kit.config("valid", "gpt-4o", { prefix: "sk-proj-" });
    const { value, requests } = await kit.run((o) => adapter.listModels(cfg, o));
    expect(value).toEqual(["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini"]);
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /models"]);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
  });

  it("listModels: a list over the size cap → at most 500 ids, the real ones first", async () => {
    const { value } = await kit.run((o) => adapter.listModels(kit.config("huge", "gpt-4o"), o));
    expect(value).toHaveLength(500);
    expect(value!.slice(0, 2)).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });

  it("listModels throws on a non-2xx answer (key masked) and when unreachable", async () => {
    const bad = kit.config("bad", "gpt-4o", { prefix: "sk-proj-" });
    const error = await adapter.listModels(bad, { signal: new AbortController().signal }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Could not list models \(invalid_key, HTTP 401\): Incorrect API key provided/);
    expectNoSecret(error, bad);
    await expect(adapter.listModels(kit.config("error500", "gpt-4o"), { signal: new AbortController().signal })).rejects.toThrow(
      /HTTP 500/,
    );
    await expect(adapter.listModels(kit.config("slow", "gpt-4o"), { signal: new AbortController().signal })).rejects.toThrow(/timed out/);
    const port = await freePort();
    await expect(
      adapter.listModels(kit.config("valid", "x", { apiHost: `http://127.0.0.1:${port}/v1` }), { signal: new AbortController().signal }),
    ).rejects.toThrow(/refused/);
  });

  it("checkTools: a tool call → supported, one request with tool_choice required and max_tokens 32", async () => {
    const { value, requests } = await kit.run((o) => adapter.checkTools(kit.config("valid", "gpt-4o"), o));
    expect(value).toBe("supported");
    expect(requests.map((r) => routeOf(r, root))).toEqual(["POST /chat/completions"]);
    expect(bodyOf(requests[0])).toMatchObject({ model: "gpt-4o", tool_choice: "required", max_tokens: 32 });
  });

  it("checkTools: a model wanting max_completion_tokens is retried with it", async () => {
    const { value, requests } = await kit.run((o) => adapter.checkTools(kit.config("valid", "o3-mini"), o));
    expect(value).toBe("supported");
    expect(requests.map(bodyOf).map((b) => [b.max_tokens, b.max_completion_tokens])).toEqual([
      [32, undefined],
      [undefined, 32],
    ]);
  });

  it("checkTools: notools → unsupported; bad key, bad model, quota, 5xx, slow, no model → unknown", async () => {
    expect((await kit.run((o) => adapter.checkTools(kit.config("notools", "gpt-4o"), o))).value).toBe("unsupported");
    for (const [scenario, model] of [
      ["bad", "gpt-4o"],
      ["valid", "gpt-5x"],
      ["quota", "gpt-4o"],
      ["error500", "gpt-4o"],
      ["slow", "gpt-4o"],
      ["valid", ""],
    ] as const) {
      expect(await adapter.checkTools(kit.config(scenario, model), { signal: new AbortController().signal }), `${scenario} ${model}`).toBe(
        "unknown",
      );
    }
  });
});
