/** Qwen: DashScope's bodies classified, and the adapter against the emulator over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/free-port";
import { bodyOf, expectNoSecret, routeOf, startKit, type Kit, type KitConfigOptions, type Scenario } from "@/test/provider-kit";
import type { ProviderAdapter } from "../types";
import { classifyQwen, createQwenAdapter } from "./adapter";

const err = (message: string, type: string, code: string | null) =>
  JSON.stringify({ error: { message, type, param: null, code }, request_id: "3f1b2c4d-0000-4000-8000-000000000000" });

// Bodies as DashScope's compatible mode sends them (providers.md, Qwen section, and its error-code page).
const WRONG_REGION = err(
  "Incorrect API key provided. For details, see: https://help.aliyun.com/zh/model-studio/error-code#apikey-error",
  "invalid_request_error",
  "invalid_api_key",
);
const MODEL = err("The model `qwen-x` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found");
const QUOTA = err(
  "You exceeded your current quota, please check your plan and billing details.",
  "insufficient_quota",
  "insufficient_quota",
);
const RATE = err("Requests rate limit exceeded, please try again later.", "limit_requests", "Throttling.RateQuota");
const ARREARS = err("Access denied, please make sure your account is in good standing.", "Arrearage", "Arrearage");
const FREE_TIER = err("The free tier of the model has been exhausted.", "AllocationQuota.FreeTierOnly", "AllocationQuota.FreeTierOnly");
const NO_ACCESS = err("Model access denied.", "Model.AccessDenied", "Model.AccessDenied");

describe("classifyQwen", () => {
  it("reads DashScope's codes", () => {
    expect(classifyQwen(401, WRONG_REGION, "key")).toMatchObject({ outcome: "invalid_key", providerCode: "invalid_api_key" });
    expect(classifyQwen(404, MODEL, "invocation")).toMatchObject({ outcome: "invalid_model", providerCode: "model_not_found" });
    expect(classifyQwen(429, QUOTA, "invocation").outcome).toBe("quota_exceeded");
    expect(classifyQwen(429, RATE, "invocation")).toMatchObject({ outcome: "rate_limited", providerCode: "Throttling.RateQuota" });
  });
  it("codes the status would get wrong: arrears (400) and free tier (403) are quota, a 403 on model access is the model", () => {
    expect(classifyQwen(400, ARREARS, "invocation").outcome).toBe("quota_exceeded");
    expect(classifyQwen(403, FREE_TIER, "invocation").outcome).toBe("quota_exceeded");
    expect(classifyQwen(403, NO_ACCESS, "invocation").outcome).toBe("invalid_model");
  });
  it("never crashes on odd bodies, never calls them valid", () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body>Tengine</body></html>";
    expect(classifyQwen(502, html, "key")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 502,
      providerMessage: "502 Bad Gateway",
    });
    expect(classifyQwen(500, "", "key")).toMatchObject({ outcome: "provider_error", httpStatus: 500 });
    expect(classifyQwen(400, "[]", "invocation").outcome).toBe("provider_error");
    expect(classifyQwen(503, "upstream request timeout", "invocation")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "upstream request timeout",
    });
    expect(classifyQwen(429, RATE.slice(0, 30), "invocation", { truncated: true }).outcome).toBe("rate_limited");
    expect(classifyQwen(200, '{"choices":[', "invocation", { truncated: true }).outcome).toBe("provider_error");
  });
});

describe("Qwen adapter against the emulator", () => {
  let kit: Kit;
  let adapter: ProviderAdapter;
  const root = "/qwen/compatible-mode/v1";
  const validate = (scenario: Scenario, model = "qwen-plus", extra?: KitConfigOptions) => kit.validate(adapter, scenario, model, extra);

  beforeAll(async () => {
    kit = await startKit("qwen");
    adapter = createQwenAdapter({ fetch: kit.fetch, requestTimeoutMs: kit.requestTimeoutMs });
  });
  afterAll(() => kit.close());

  it("valid → GET /models then a 1-token chat, Bearer auth", async () => {
    const { value, requests, cfg } = await validate("valid");
    expect(value).toMatchObject({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(value.models).toContain("qwen-plus");
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /models", "POST /chat/completions"]);
    expect(requests.every((r) => r.headers.authorization === `Bearer ${cfg.secrets.apiKey}`)).toBe(true);
    expect(bodyOf(requests[1])).toMatchObject({ model: "qwen-plus", max_tokens: 1 });
  });

  it("bad key → invalid_key at the key step, message kept, key nowhere", async () => {
    const { value, requests, cfg } = await validate("bad");
    expect(value).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 401, providerCode: "invalid_api_key" });
    expect(value.providerMessage).toMatch(/^Incorrect API key provided\./);
    expectNoSecret(value, cfg);
    expect(requests).toHaveLength(1);
  });

  it("bad key and bad model → invalid_key", async () => {
    expect((await validate("bad", "qwen-x")).value.outcome).toBe("invalid_key");
  });

  it("regional keys: an international key on the Beijing host is an invalid key, on its own host valid", async () => {
    const intl = { prefix: "sk-intl-" };
    expect((await validate("valid", "qwen-plus", intl)).value).toMatchObject({ outcome: "invalid_key", httpStatus: 401 });
    const intlHost = kit.apiHost.replace("/qwen/", "/qwen/intl/");
    expect((await validate("valid", "qwen-plus", { ...intl, apiHost: intlHost })).value.outcome).toBe("valid");
    expect((await validate("valid", "qwen-plus", { apiHost: intlHost })).value.outcome).toBe("invalid_key");
  });

  it("a model not in the list is tried by the chat call, which decides", async () => {
    const { value, requests } = await validate("valid", "qwen-x");
    expect(value).toMatchObject({ outcome: "invalid_model", step: "invocation", httpStatus: 404, providerCode: "model_not_found" });
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /models", "POST /chat/completions"]);
  });

  it("quota → quota_exceeded; Throttling.RateQuota → rate_limited (never quota)", async () => {
    expect((await validate("quota")).value).toMatchObject({ outcome: "quota_exceeded", step: "invocation", httpStatus: 429 });
    expect((await validate("ratelimit")).value).toMatchObject({
      outcome: "rate_limited",
      httpStatus: 429,
      providerCode: "Throttling.RateQuota",
    });
  });

  it("HTML 500 and overloaded → provider_error with the status", async () => {
    expect((await validate("error500")).value).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
    expect((await validate("overloaded")).value).toMatchObject({ outcome: "provider_error", httpStatus: 503 });
  });

  it("slow → unreachable (timed out); closed port → unreachable (refused)", async () => {
    const slow = await validate("slow");
    expect(slow.value).toMatchObject({ outcome: "unreachable", step: "key", host: "127.0.0.1" });
    expect(slow.value.reason).toMatch(/timed out/);
    expect(slow.ms).toBeLessThan(2500);
    const port = await freePort();
    const closed = await validate("valid", "qwen-plus", { apiHost: `http://127.0.0.1:${port}/compatible-mode/v1` });
    expect(closed.value).toMatchObject({ outcome: "unreachable", host: "127.0.0.1" });
    expect(closed.value.reason).toMatch(/refused/);
  });

  it("listModels: the ids; throws (without the key) for a bad key or an unreachable host", async () => {
    const cfg = kit.config("valid", "qwen-plus");
    expect((await kit.run((o) => adapter.listModels(cfg, o))).value).toEqual([
      "qwen-plus",
      "qwen-max",
      "qwen-turbo",
      "qwen-flash",
      "qwen3-coder-plus",
    ]);
    const bad = kit.config("bad", "qwen-plus");
    const error = await adapter.listModels(bad, { signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/invalid_key.*401/);
    expectNoSecret(error, bad);
    const port = await freePort();
    await expect(
      adapter.listModels(kit.config("valid", "qwen-plus", { apiHost: `http://127.0.0.1:${port}/v1` }), {
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/refused/);
  });

  it("checkTools: tool_choice required is refused, retried once as auto → supported", async () => {
    const cfg = kit.config("valid", "qwen-plus");
    const { value, requests } = await kit.run((o) => adapter.checkTools(cfg, o));
    expect(value).toBe("supported");
    const bodies = requests.map(bodyOf);
    expect(bodies.map((b) => b.tool_choice)).toEqual(["required", "auto"]);
    expect(bodies[1]).toMatchObject({
      model: "qwen-plus",
      max_tokens: 32,
      tools: [{ type: "function", function: { name: "get_weather" } }],
    });
  });

  it("checkTools: notools → unsupported (answered without a call); bad key or no host → unknown", async () => {
    expect((await kit.run((o) => adapter.checkTools(kit.config("notools", "qwen-plus"), o))).value).toBe("unsupported");
    expect((await kit.run((o) => adapter.checkTools(kit.config("bad", "qwen-plus"), o))).value).toBe("unknown");
    expect((await kit.run((o) => adapter.checkTools(kit.config("error500", "qwen-plus"), o))).value).toBe("unknown");
    const port = await freePort();
    expect(
      await adapter.checkTools(kit.config("valid", "qwen-plus", { apiHost: `http://127.0.0.1:${port}/v1` }), {
        signal: new AbortController().signal,
      }),
    ).toBe("unknown");
  });
});
