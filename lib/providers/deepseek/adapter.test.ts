/** DeepSeek: balance and error bodies classified, and the adapter against the emulator over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/free-port";
import { bodyOf, expectNoSecret, routeOf, startKit, type Kit, type KitConfigOptions, type Scenario } from "@/test/provider-kit";
import { classifyOpenAI } from "../openai-family/classify";
import type { ProviderAdapter } from "../types";
import { balanceUrl, classifyDeepSeekBalance, createDeepSeekAdapter } from "./adapter";

const err = (message: string, type: string) => JSON.stringify({ error: { message, type, param: null, code: "invalid_request_error" } });

// Bodies quoted in providers.md (DeepSeek section).
const AUTH = err("Authentication Fails, Your api key: ****_KEY is invalid", "authentication_error");
const BALANCE_EMPTY = err("Insufficient Balance", "unknown_error");
const MODEL = err("Model Not Exist", "invalid_request_error");
const balance = (available: boolean, total: string) =>
  JSON.stringify({
    is_available: available,
    balance_infos: [{ currency: "CNY", total_balance: total, granted_balance: "0.00", topped_up_balance: total }],
  });

describe("classifyDeepSeekBalance", () => {
  it("funds available → the key step passes", () => {
    expect(classifyDeepSeekBalance(200, balance(true, "110.00"))).toEqual({ outcome: "valid", step: "key", httpStatus: 200 });
  });
  it("is_available false or only zero balances → quota_exceeded", () => {
    expect(classifyDeepSeekBalance(200, balance(false, "0.00"))).toMatchObject({
      outcome: "quota_exceeded",
      step: "key",
      providerMessage: expect.stringMatching(/0\.00 CNY/) as unknown,
    });
    expect(classifyDeepSeekBalance(200, balance(true, "0.00"))).toMatchObject({ outcome: "quota_exceeded" });
    expect(classifyDeepSeekBalance(200, JSON.stringify({ is_available: true, balance_infos: [] }))).toMatchObject({ outcome: "valid" });
  });
  it("401 authentication_error → invalid_key; 404 → skip (a proxy without the endpoint)", () => {
    expect(classifyDeepSeekBalance(401, AUTH)).toMatchObject({
      outcome: "invalid_key",
      step: "key",
      providerCode: "invalid_request_error",
    });
    expect(classifyDeepSeekBalance(404, '{"error":{"message":"Not Found"}}')).toBe("skip");
  });
  it("odd bodies → provider_error, never valid", () => {
    for (const body of ["", "<html><title>502</title></html>", "[]", "ok", '{"balance_infos":[]}']) {
      expect(classifyDeepSeekBalance(200, body), body).toMatchObject({ outcome: "provider_error", step: "key" });
    }
    expect(classifyDeepSeekBalance(200, '{"is_available":tr', { truncated: true })).toMatchObject({ outcome: "provider_error" });
    expect(classifyDeepSeekBalance(503, "<html><head><title>503 Service Temporarily Unavailable</title></head></html>")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 503,
    });
    expect(classifyDeepSeekBalance(200, AUTH)).toMatchObject({ outcome: "invalid_key", step: "key" });
  });
  it("finds the balance at the origin root, /v1 or not", () => {
    expect(balanceUrl("https://api.deepseek.com")).toBe("https://api.deepseek.com/user/balance");
    expect(balanceUrl("https://api.deepseek.com/v1")).toBe("https://api.deepseek.com/user/balance");
  });
});

describe("DeepSeek chat errors (classifyOpenAI)", () => {
  it("402 Insufficient Balance → quota; 400 Model Not Exist → invalid_model; 401 → invalid_key; 422 → provider_error", () => {
    expect(classifyOpenAI(402, BALANCE_EMPTY, "invocation").outcome).toBe("quota_exceeded");
    expect(classifyOpenAI(400, MODEL, "invocation").outcome).toBe("invalid_model");
    expect(classifyOpenAI(401, AUTH, "invocation").outcome).toBe("invalid_key");
    expect(
      classifyOpenAI(422, err("Failed to deserialize the JSON body into the target type: messages", "invalid_request_error"), "invocation")
        .outcome,
    ).toBe("provider_error");
    expect(classifyOpenAI(429, err("Rate Limit Reached", "rate_limit_error"), "invocation").outcome).toBe("rate_limited");
  });
});

describe("DeepSeek adapter against the emulator", () => {
  let kit: Kit;
  let adapter: ProviderAdapter;
  const root = "/deepseek";
  const validate = (scenario: Scenario, model = "deepseek-chat", extra?: KitConfigOptions) => kit.validate(adapter, scenario, model, extra);

  beforeAll(async () => {
    kit = await startKit("deepseek");
    adapter = createDeepSeekAdapter({ fetch: kit.fetch, requestTimeoutMs: kit.requestTimeoutMs });
  });
  afterAll(() => kit.close());

  it("valid → balance, models, 1-token chat, Bearer auth", async () => {
    const { value, requests, cfg } = await validate("valid");
    expect(value).toMatchObject({
      outcome: "valid",
      step: "invocation",
      models: ["deepseek-chat", "deepseek-reasoner"],
      host: "127.0.0.1",
    });
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /user/balance", "GET /models", "POST /chat/completions"]);
    expect(requests.every((r) => r.headers.authorization === `Bearer ${cfg.secrets.apiKey}`)).toBe(true);
    expect(bodyOf(requests[2])).toMatchObject({ model: "deepseek-chat", max_tokens: 1 });
  });

  it("an API Host ending in /v1: balance at the root, the rest under /v1", async () => {
    const { value, requests } = await validate("valid", "deepseek-chat", { apiHost: `${kit.apiHost}/v1/` });
    expect(value.outcome).toBe("valid");
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /user/balance", "GET /v1/models", "POST /v1/chat/completions"]);
  });

  it("bad key → invalid_key from the balance call alone; bad key + bad model too", async () => {
    const { value, requests, cfg } = await validate("bad");
    expect(value).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 401 });
    expect(value.providerMessage).toMatch(/^Authentication Fails, Your api key: \*\*\*\*.{4} is invalid$/);
    expectNoSecret(value, cfg);
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /user/balance"]);
    expect((await validate("bad", "deepseek-x")).value.outcome).toBe("invalid_key");
  });

  it("no balance → quota_exceeded before any token is spent", async () => {
    const { value, requests } = await validate("quota");
    expect(value).toMatchObject({ outcome: "quota_exceeded", step: "key", httpStatus: 200 });
    expect(requests).toHaveLength(1);
  });

  it("a model not in DeepSeek's list → invalid_model at the model step, no chat call", async () => {
    const { value, requests } = await validate("valid", "deepseek-x");
    expect(value).toMatchObject({ outcome: "invalid_model", step: "model" });
    expect(value.providerMessage).toContain("deepseek-x");
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /user/balance", "GET /models"]);
  });

  it("ratelimit → rate_limited at the chat call; HTML 500 and overloaded → provider_error", async () => {
    expect((await validate("ratelimit")).value).toMatchObject({ outcome: "rate_limited", step: "invocation", httpStatus: 429 });
    expect((await validate("error500")).value).toMatchObject({ outcome: "provider_error", step: "key", httpStatus: 500 });
    expect((await validate("overloaded")).value).toMatchObject({ outcome: "provider_error", httpStatus: 503 });
  });

  it("slow → unreachable (timed out); closed port → unreachable", async () => {
    const slow = await validate("slow");
    expect(slow.value).toMatchObject({ outcome: "unreachable", step: "key" });
    expect(slow.value.reason).toMatch(/timed out/);
    const port = await freePort();
    expect((await validate("valid", "deepseek-chat", { apiHost: `http://127.0.0.1:${port}` })).value).toMatchObject({
      outcome: "unreachable",
      host: "127.0.0.1",
    });
  });

  it("listModels: the ids; throws for a bad key", async () => {
    expect((await kit.run((o) => adapter.listModels(kit.config("valid", "x"), o))).value).toEqual(["deepseek-chat", "deepseek-reasoner"]);
    await expect(adapter.listModels(kit.config("bad", "x"), { signal: new AbortController().signal })).rejects.toThrow(/invalid_key/);
  });

  it("checkTools: supported; notools → 400 'does not support Function Calling' → unsupported; bad key → unknown", async () => {
    const ok = await kit.run((o) => adapter.checkTools(kit.config("valid", "deepseek-chat"), o));
    expect(ok.value).toBe("supported");
    expect(ok.requests.map((r) => routeOf(r, root))).toEqual(["POST /chat/completions"]);
    expect(bodyOf(ok.requests[0])).toMatchObject({ tool_choice: "required", max_tokens: 32 });
    expect((await kit.run((o) => adapter.checkTools(kit.config("notools", "deepseek-reasoner"), o))).value).toBe("unsupported");
    expect((await kit.run((o) => adapter.checkTools(kit.config("bad", "deepseek-chat"), o))).value).toBe("unknown");
    expect((await kit.run((o) => adapter.checkTools(kit.config("quota", "deepseek-chat"), o))).value).toBe("unknown");
  });
});
