/** OpenAI Compatible: local servers' bodies classified, and the adapter against the emulator over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/free-port";
import { bodyOf, expectNoSecret, routeOf, startKit, type Kit, type KitConfigOptions, type Scenario } from "@/test/provider-kit";
import type { ProviderAdapter } from "../types";
import { classifyOpenAICompatible, createOpenAICompatibleAdapter } from "./adapter";

const VLLM_MODEL = JSON.stringify({
  object: "error",
  message: "The model `gpt-4o` does not exist.",
  type: "NotFoundError",
  param: null,
  code: 404,
});
const OLLAMA_MODEL = JSON.stringify({ error: 'model "llama9" not found, try pulling it first' });

describe("classifyOpenAICompatible", () => {
  it("a 404 naming the model is the model (vLLM, Ollama)", () => {
    expect(classifyOpenAICompatible(404, VLLM_MODEL, "invocation")).toMatchObject({ outcome: "invalid_model", providerCode: "404" });
    expect(classifyOpenAICompatible(404, OLLAMA_MODEL, "invocation")).toMatchObject({
      outcome: "invalid_model",
      providerMessage: 'model "llama9" not found, try pulling it first',
    });
  });
  it("a bare 404 from the chat call is a wrong API Host, not a wrong model", () => {
    for (const body of ['{"detail":"Not Found"}', "404 page not found", "<html><title>404 Not Found</title></html>", ""]) {
      expect(classifyOpenAICompatible(404, body, "invocation").outcome, body).toBe("provider_error");
    }
  });
  it("other answers as OpenAI's: 401 bare Unauthorized, quota, rate limit, odd bodies", () => {
    expect(classifyOpenAICompatible(401, '{"error":"Unauthorized"}', "key")).toMatchObject({
      outcome: "invalid_key",
      providerMessage: "Unauthorized",
    });
    expect(
      classifyOpenAICompatible(
        429,
        JSON.stringify({ error: { message: "You exceeded your current quota", code: "insufficient_quota" } }),
        "invocation",
      ).outcome,
    ).toBe("quota_exceeded");
    expect(classifyOpenAICompatible(429, "Too Many Requests", "invocation").outcome).toBe("rate_limited");
    expect(classifyOpenAICompatible(500, "<html><head><title>500</title></head></html>", "invocation")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
    });
    expect(classifyOpenAICompatible(400, "[1]", "invocation").outcome).toBe("provider_error");
    expect(classifyOpenAICompatible(200, '{"choices":', "invocation", { truncated: true }).outcome).toBe("provider_error");
  });
});

describe("OpenAI Compatible adapter against the emulator", () => {
  let kit: Kit;
  let adapter: ProviderAdapter;
  const root = "/compatible";
  const vllmModel = "meta-llama/Llama-3.1-8B-Instruct";
  const host = (path: string) => `${kit.emulator.url}/compatible${path}`;
  const validate = (scenario: Scenario, model = vllmModel, extra?: KitConfigOptions) => kit.validate(adapter, scenario, model, extra);
  const noKey = { apiKey: "" };

  beforeAll(async () => {
    kit = await startKit("openai-compatible");
    adapter = createOpenAICompatibleAdapter({ fetch: kit.fetch, requestTimeoutMs: kit.requestTimeoutMs });
  });
  afterAll(() => kit.close());

  it("no key → valid, and no Authorization header is sent", async () => {
    const { value, requests } = await validate("valid", vllmModel, noKey);
    expect(value).toMatchObject({ outcome: "valid", step: "invocation", models: [vllmModel, "Qwen/Qwen2.5-Coder-7B-Instruct"] });
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /v1/models", "POST /v1/chat/completions"]);
    for (const r of requests) expect(r.headers).not.toHaveProperty("authorization");
    expect(bodyOf(requests[1])).toMatchObject({ model: vllmModel, max_tokens: 1 });
  });

  it("a key is sent as Bearer; a bad one → invalid_key (also with a bad model)", async () => {
    const ok = await validate("valid");
    expect(ok.requests[0]!.headers.authorization).toBe(`Bearer ${ok.cfg.secrets.apiKey}`);
    const bad = await validate("bad", "nope");
    expect(bad.value).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 401, providerMessage: "Unauthorized" });
    expectNoSecret(bad.value, bad.cfg);
  });

  it("unknown model → vLLM's 404 envelope → invalid_model at the chat call", async () => {
    const { value, requests } = await validate("valid", "gpt-4o", noKey);
    expect(value).toMatchObject({ outcome: "invalid_model", step: "invocation", httpStatus: 404 });
    expect(requests).toHaveLength(2);
  });

  it("a server without /models: the 404 is skipped and the chat call decides", async () => {
    const ok = await validate("valid", vllmModel, { ...noKey, apiHost: host("/nolist/v1") });
    expect(ok.value).toMatchObject({ outcome: "valid", step: "invocation" });
    expect(ok.value.models).toBeUndefined();
    expect(ok.requests.map((r) => routeOf(r, root))).toEqual(["GET /nolist/v1/models", "POST /nolist/v1/chat/completions"]);
    expect((await validate("valid", "gpt-4o", { ...noKey, apiHost: host("/nolist/v1") })).value.outcome).toBe("invalid_model");
    // The same via a key containing `nolist`.
    expect((await validate("valid", vllmModel, { apiKey: "sk-nolist-BcDfGh" })).value.outcome).toBe("valid");
  });

  it("a wrong API Host path: both calls 404 without naming a model → provider_error, not invalid_model", async () => {
    const { value } = await validate("valid", vllmModel, { ...noKey, apiHost: host("/nowhere/v1") });
    expect(value).toMatchObject({ outcome: "provider_error", httpStatus: 404 });
  });

  it("Ollama: a listed `llama3.2:latest` answers to `llama3.2`; unknown models get Ollama's body → invalid_model", async () => {
    const ollama = { ...noKey, apiHost: host("/ollama/v1") };
    const ok = await validate("valid", "llama3.2", ollama);
    expect(ok.value).toMatchObject({ outcome: "valid", models: ["llama3.2:latest", "qwen2.5:7b"] });
    const missing = await validate("valid", "llama9", ollama);
    expect(missing.value).toMatchObject({
      outcome: "invalid_model",
      httpStatus: 404,
      providerMessage: 'model "llama9" not found, try pulling it first',
    });
  });

  it("quota → quota_exceeded; ratelimit → rate_limited; HTML 500 → provider_error", async () => {
    expect((await validate("quota")).value).toMatchObject({ outcome: "quota_exceeded", httpStatus: 429 });
    expect((await validate("ratelimit")).value).toMatchObject({ outcome: "rate_limited", httpStatus: 429 });
    expect((await validate("error500")).value).toMatchObject({ outcome: "provider_error", httpStatus: 500 });
  });

  it("no API Host → unreachable without a request; slow or closed → unreachable", async () => {
    const { value, requests } = await validate("valid", vllmModel, { apiHost: "" });
    expect(value).toMatchObject({ outcome: "unreachable", reason: "No API Host was given." });
    expect(requests).toHaveLength(0);
    expect((await validate("slow")).value.reason).toMatch(/timed out/);
    const port = await freePort();
    expect((await validate("valid", vllmModel, { ...noKey, apiHost: `http://127.0.0.1:${port}` })).value).toMatchObject({
      outcome: "unreachable",
    });
  });

  it("listModels: the ids; null for a server without /models; throws for a bad key", async () => {
    expect((await kit.run((o) => adapter.listModels(kit.config("valid", "x", noKey), o))).value).toEqual([
      vllmModel,
      "Qwen/Qwen2.5-Coder-7B-Instruct",
    ]);
    expect(
      await adapter.listModels(kit.config("valid", "x", { ...noKey, apiHost: host("/nolist/v1") }), {
        signal: new AbortController().signal,
      }),
    ).toBeNull();
    await expect(adapter.listModels(kit.config("bad", "x"), { signal: new AbortController().signal })).rejects.toThrow(/invalid_key/);
  });

  it("checkTools: supported; vLLM without tool parsing → unsupported after the auto retry; Ollama → unsupported", async () => {
    expect((await kit.run((o) => adapter.checkTools(kit.config("valid", vllmModel, noKey), o))).value).toBe("supported");
    const vllm = await kit.run((o) => adapter.checkTools(kit.config("notools", vllmModel), o));
    expect(vllm.value).toBe("unsupported");
    expect(vllm.requests.map((r) => bodyOf(r).tool_choice)).toEqual(["required", "auto"]);
    const ollama = await kit.run((o) => adapter.checkTools(kit.config("notools", "llama3.2", { apiHost: host("/ollama/v1") }), o));
    expect(ollama.value).toBe("unsupported");
    expect(ollama.requests).toHaveLength(1);
    expect((await kit.run((o) => adapter.checkTools(kit.config("valid", "gpt-4o", noKey), o))).value).toBe("unknown");
  });
});
