import { describe, expect, it } from "vitest";
import { classifyOpenRouter, minimumTokensAsked } from "./classify";

const KEY = "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";
const err = (code: number, message: string, metadata?: Record<string, unknown>) =>
  JSON.stringify({ error: { code, message, ...(metadata ? { metadata } : {}) }, user_id: "user_2abc" });

// Bodies quoted in /work/shared/providers.md (OpenRouter section) and public issue threads.
const USER_NOT_FOUND = err(401, "User not found.");
const NO_AUTH = err(401, "No auth credentials found");
const NOT_A_MODEL = err(400, "openai/gpt-5x is not a valid model ID");
const NO_CREDITS = err(402, "Insufficient credits. Add more using https://openrouter.ai/settings/credits");
const CANNOT_AFFORD = err(
  402,
  "This request requires more credits, or fewer max_tokens. You requested up to 4096 tokens, but can only afford 1234.",
);
const KEY_LIMIT = err(403, "Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys");
const FLAGGED = err(403, 'openai/gpt-4o requires moderation on OpenAI. Your input was flagged for "harassment". No credits were charged.', {
  reasons: ["harassment"],
  provider_name: "OpenAI",
});
const UPSTREAM_RATE = err(429, "Provider returned error", {
  raw: "openai/gpt-4o-mini is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations",
  provider_name: "OpenAI",
});
const FREE_PER_DAY = err(429, "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day");
const FREE_PER_MIN = err(429, "Rate limit exceeded: free-models-per-min.");
const OVERLOADED = err(502, "Provider returned error", {
  raw: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
  provider_name: "Anthropic",
});
const MIN_TOKENS = err(400, "Provider returned error", {
  raw: JSON.stringify({
    error: {
      message: "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 1 instead.",
      type: "invalid_request_error",
      param: "max_output_tokens",
      code: "integer_below_min_value",
    },
  }),
  provider_name: "OpenAI",
});
const KEY_DATA = JSON.stringify({
  data: { label: "sk-or-v1-au7...890", limit: 100, usage: 25.5, limit_remaining: 74.5, is_free_tier: false },
});

describe("classifyOpenRouter", () => {
  it("401 User not found / No auth credentials → invalid_key", () => {
    expect(classifyOpenRouter(401, USER_NOT_FOUND, "key")).toEqual({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 401,
      providerCode: "401",
      providerMessage: "User not found.",
    });
    expect(classifyOpenRouter(401, NO_AUTH, "key").outcome).toBe("invalid_key");
  });

  it("400 not a valid model ID, 404 no endpoints → invalid_model on the chat call", () => {
    expect(classifyOpenRouter(400, NOT_A_MODEL, "invocation")).toMatchObject({
      outcome: "invalid_model",
      providerMessage: "openai/gpt-5x is not a valid model ID",
    });
    expect(classifyOpenRouter(404, err(404, "No endpoints found for openai/gpt-4o."), "invocation").outcome).toBe("invalid_model");
    expect(
      classifyOpenRouter(404, err(404, "No endpoints found matching your data policy (Free model publication)."), "invocation").outcome,
    ).toBe("invalid_model");
    expect(classifyOpenRouter(404, err(404, "Not Found"), "key").outcome).toBe("provider_error");
  });

  it("402 insufficient credits and 403 key limit → quota_exceeded", () => {
    expect(classifyOpenRouter(402, NO_CREDITS, "invocation")).toMatchObject({ outcome: "quota_exceeded", httpStatus: 402 });
    expect(classifyOpenRouter(402, CANNOT_AFFORD, "invocation").outcome).toBe("quota_exceeded");
    expect(classifyOpenRouter(403, KEY_LIMIT, "invocation").outcome).toBe("quota_exceeded");
  });

  it("403 moderation is provider_error, other 403s invalid_key", () => {
    expect(classifyOpenRouter(403, FLAGGED, "invocation").outcome).toBe("provider_error");
    expect(classifyOpenRouter(403, err(403, "Forbidden"), "key").outcome).toBe("invalid_key");
  });

  it("429 → rate_limited with the upstream's message; a per-day free-model cap → quota_exceeded", () => {
    const rate = classifyOpenRouter(429, UPSTREAM_RATE, "invocation");
    expect(rate).toMatchObject({ outcome: "rate_limited", httpStatus: 429 });
    expect(rate.providerMessage).toMatch(/^Provider returned error \(OpenAI: openai\/gpt-4o-mini is temporarily rate-limited upstream/);
    expect(classifyOpenRouter(429, FREE_PER_MIN, "invocation").outcome).toBe("rate_limited");
    expect(classifyOpenRouter(429, FREE_PER_DAY, "invocation").outcome).toBe("quota_exceeded");
  });

  it("502 provider error, 408 and 503 → provider_error, the upstream's message appended", () => {
    expect(classifyOpenRouter(502, OVERLOADED, "invocation")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 502,
      providerMessage: "Provider returned error (Anthropic: Overloaded)",
    });
    expect(classifyOpenRouter(408, err(408, "Timed out"), "invocation").outcome).toBe("provider_error");
    expect(classifyOpenRouter(503, err(503, "No instances available"), "invocation").outcome).toBe("provider_error");
  });

  it("an error under a 200 is judged by its code", () => {
    expect(classifyOpenRouter(200, OVERLOADED, "invocation")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 200,
      providerCode: "502",
    });
    expect(classifyOpenRouter(200, USER_NOT_FOUND, "key").outcome).toBe("invalid_key");
    expect(
      classifyOpenRouter(200, JSON.stringify({ choices: [], error: { code: 402, message: "Insufficient credits" } }), "invocation").outcome,
    ).toBe("quota_exceeded");
  });

  it("2xx answers pass only with the step's shape: /key data, a model list, chat choices", () => {
    expect(classifyOpenRouter(200, KEY_DATA, "key")).toEqual({ outcome: "valid", step: "key", httpStatus: 200 });
    expect(classifyOpenRouter(200, '{"data":[{"id":"openai/gpt-4o"}]}', "model").outcome).toBe("valid");
    expect(classifyOpenRouter(200, '{"data":[{"id":"openai/gpt-4o","canonical_sl', "model", { truncated: true }).outcome).toBe("valid");
    expect(classifyOpenRouter(200, '{"choices":[{"message":{"content":"O"}}]}', "invocation").outcome).toBe("valid");
    // A model list is not what GET /key answers (a wrong API Host, or a proxy).
    expect(classifyOpenRouter(200, '{"data":[{"id":"openai/gpt-4o"}]}', "key").outcome).toBe("provider_error");
    expect(classifyOpenRouter(200, '{"data":"x"}', "key").outcome).toBe("provider_error");
    expect(classifyOpenRouter(200, KEY_DATA, "invocation").outcome).toBe("provider_error");
  });

  it("HTML, plain text, empty, array and truncated bodies never crash and are never valid", () => {
    expect(classifyOpenRouter(200, "<!DOCTYPE html><html><title>OpenRouter</title></html>", "key")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "OpenRouter",
    });
    expect(classifyOpenRouter(500, "<html><head><title>500 Internal Server Error</title></head></html>", "key").providerMessage).toBe(
      "500 Internal Server Error",
    );
    expect(classifyOpenRouter(502, "error code: 502", "invocation")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "error code: 502",
    });
    expect(classifyOpenRouter(200, "", "key").providerMessage).toBe("Unexpected response: the body was empty.");
    expect(classifyOpenRouter(400, `[${NOT_A_MODEL}]`, "invocation").outcome).toBe("invalid_model");
    expect(classifyOpenRouter(200, "[]", "invocation").outcome).toBe("provider_error");
    expect(classifyOpenRouter(200, '{"choices":[{"mess', "invocation", { truncated: true }).outcome).toBe("provider_error");
    expect(classifyOpenRouter(302, "", "key")).toMatchObject({ outcome: "provider_error", httpStatus: 302 });
  });

  it("masks the key, keeps one line of at most 300 characters", () => {
    const body = err(401, `User not found for ${KEY}\n${"x ".repeat(400)}`);
    const verdict = classifyOpenRouter(401, body, "key", { secrets: [KEY] });
    expect(verdict.providerMessage).not.toContain(KEY);
    expect(verdict.providerMessage).not.toContain(KEY.slice(-10));
    expect(verdict.providerMessage).not.toContain("\n");
    expect(verdict.providerMessage!.length).toBeLessThanOrEqual(300);
  });
});

describe("minimumTokensAsked", () => {
  it("reads the minimum an upstream asks for, if small", () => {
    expect(minimumTokensAsked(400, MIN_TOKENS)).toBe(16);
    expect(minimumTokensAsked(400, err(400, "max_tokens must be at least 2048"))).toBeUndefined();
    expect(minimumTokensAsked(400, NOT_A_MODEL)).toBeUndefined();
    expect(minimumTokensAsked(429, MIN_TOKENS)).toBeUndefined();
    expect(minimumTokensAsked(400, "<html>")).toBeUndefined();
  });
});
