import { describe, expect, it } from "vitest";
import { anthropicToolSupport, classifyAnthropic } from "./classify";

const KEY = "sk-ant-api03-Zq8xT3vLmN5pRw2yKb7cHd4fJg6sVa9eUt1iOo0QrXk2Lm3NpMxYA-AbCdEfAA";
const err = (type: string, message: string) =>
  JSON.stringify({ type: "error", error: { type, message }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" });

// Bodies quoted in /work/shared/providers.md (Anthropic section) and Anthropic's error docs.
const INVALID_KEY = err("authentication_error", "invalid x-api-key");
const NO_KEY = err("authentication_error", "x-api-key header is required");
const MODEL_NOT_FOUND = err("not_found_error", "model: claude-x");
const CREDIT_TOO_LOW = err(
  "invalid_request_error",
  "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
);
const USAGE_LIMIT = err(
  "invalid_request_error",
  "You have reached your specified API usage limits. You will regain access on 2025-12-01 at 00:00 UTC.",
);
const RATE = err(
  "rate_limit_error",
  "This request would exceed the rate limit for your organization (4a2c…) of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
);
const OVERLOADED = err("overloaded_error", "Overloaded");
const API_ERROR = err("api_error", "Internal server error");
const PERMISSION = err("permission_error", "Your API key does not have permission to use the specified resource.");
const BILLING = err("billing_error", "There is an issue with your billing or payment information.");
const HTML_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>";

describe("classifyAnthropic", () => {
  it("401 authentication_error → invalid_key, with the type and message", () => {
    expect(classifyAnthropic(401, INVALID_KEY, "key")).toEqual({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 401,
      providerCode: "authentication_error",
      providerMessage: "invalid x-api-key",
    });
    expect(classifyAnthropic(401, NO_KEY, "key").outcome).toBe("invalid_key");
  });

  it("404 not_found_error → invalid_model on the model and invocation steps, provider_error on the list", () => {
    expect(classifyAnthropic(404, MODEL_NOT_FOUND, "model")).toMatchObject({
      outcome: "invalid_model",
      providerMessage: "model: claude-x",
    });
    expect(classifyAnthropic(404, MODEL_NOT_FOUND, "invocation").outcome).toBe("invalid_model");
    expect(classifyAnthropic(404, err("not_found_error", "Not Found"), "key").outcome).toBe("provider_error");
  });

  it("400 credit balance too low and usage limits → quota_exceeded (a 400 that is quota)", () => {
    expect(classifyAnthropic(400, CREDIT_TOO_LOW, "invocation")).toMatchObject({
      outcome: "quota_exceeded",
      httpStatus: 400,
      providerCode: "invalid_request_error",
    });
    expect(classifyAnthropic(400, USAGE_LIMIT, "invocation").outcome).toBe("quota_exceeded");
    expect(classifyAnthropic(402, BILLING, "invocation").outcome).toBe("quota_exceeded");
  });

  it("other 400s are provider_error, never valid", () => {
    expect(classifyAnthropic(400, err("invalid_request_error", "max_tokens: Field required"), "invocation").outcome).toBe("provider_error");
  });

  it("429 rate_limit_error → rate_limited, never quota", () => {
    expect(classifyAnthropic(429, RATE, "invocation")).toMatchObject({ outcome: "rate_limited", providerCode: "rate_limit_error" });
  });

  it("529 overloaded_error and 500 api_error → provider_error with the status", () => {
    expect(classifyAnthropic(529, OVERLOADED, "invocation")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 529,
      providerCode: "overloaded_error",
    });
    expect(classifyAnthropic(500, API_ERROR, "key")).toMatchObject({ outcome: "provider_error", httpStatus: 500 });
  });

  it("403 permission_error → invalid_key on the key step, invalid_model after it", () => {
    expect(classifyAnthropic(403, PERMISSION, "key").outcome).toBe("invalid_key");
    expect(classifyAnthropic(403, PERMISSION, "invocation").outcome).toBe("invalid_model");
    expect(classifyAnthropic(403, err("permission_error", "This organization has been disabled."), "invocation").outcome).toBe(
      "invalid_key",
    );
  });

  it("HTML, plain text, empty, array and truncated bodies never crash and are never valid", () => {
    expect(classifyAnthropic(502, HTML_502, "key")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 502,
      providerMessage: "502 Bad Gateway",
    });
    expect(classifyAnthropic(503, "upstream connect error or disconnect/reset before headers", "invocation")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "upstream connect error or disconnect/reset before headers",
    });
    expect(classifyAnthropic(500, "", "invocation")).toEqual({ outcome: "provider_error", step: "invocation", httpStatus: 500 });
    expect(classifyAnthropic(400, `[${CREDIT_TOO_LOW}]`, "invocation").outcome).toBe("quota_exceeded");
    expect(classifyAnthropic(200, "[]", "invocation").outcome).toBe("provider_error");
    expect(classifyAnthropic(200, "<html><title>Login</title></html>", "key")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "Login",
    });
    expect(classifyAnthropic(200, "", "invocation").providerMessage).toBe("Unexpected response: the body was empty.");
    expect(classifyAnthropic(200, '{"type":"message","content":[{"ty', "invocation", { truncated: true }).outcome).toBe("provider_error");
    expect(classifyAnthropic(401, '{"type":"error","error":{"type":"authe', "key", { truncated: true }).outcome).toBe("invalid_key");
  });

  it("a model list cut at the size cap still proves the key", () => {
    const cut =
      '{"data":[{"type":"model","id":"claude-sonnet-4-5-20250929","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"},{"type":"mo';
    expect(classifyAnthropic(200, cut, "key", { truncated: true })).toEqual({ outcome: "valid", step: "key", httpStatus: 200 });
  });

  it("2xx answers pass only with the expected shape; an error envelope under a 2xx is judged by its type", () => {
    expect(classifyAnthropic(200, '{"data":[],"has_more":false,"first_id":null,"last_id":null}', "key").outcome).toBe("valid");
    expect(classifyAnthropic(200, '{"type":"model","id":"claude-sonnet-4-5-20250929"}', "model").outcome).toBe("valid");
    expect(classifyAnthropic(200, '{"type":"message","content":[{"type":"text","text":"O"}]}', "invocation").outcome).toBe("valid");
    expect(classifyAnthropic(200, '{"object":"list"}', "key").outcome).toBe("provider_error");
    expect(classifyAnthropic(200, OVERLOADED, "invocation").outcome).toBe("provider_error");
    expect(classifyAnthropic(200, INVALID_KEY, "key").outcome).toBe("invalid_key");
    expect(classifyAnthropic(200, CREDIT_TOO_LOW, "invocation").outcome).toBe("quota_exceeded");
  });

  it("redirects are provider_error", () => {
    expect(classifyAnthropic(302, "<html><title>302 Found</title></html>", "key")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 302,
    });
  });

  it("masks the key, keeps one line of at most 300 characters", () => {
    const body = err("authentication_error", `invalid x-api-key ${KEY}\n\n${"x ".repeat(400)}`);
    const verdict = classifyAnthropic(401, body, "key", { secrets: [KEY] });
    expect(verdict.providerMessage).not.toContain(KEY);
    expect(verdict.providerMessage).not.toContain(KEY.slice(-10));
    expect(verdict.providerMessage).not.toContain("\n");
    expect(verdict.providerMessage!.length).toBeLessThanOrEqual(300);
  });
});

describe("anthropicToolSupport", () => {
  const message = (content: unknown[], stop: string) => JSON.stringify({ type: "message", role: "assistant", content, stop_reason: stop });

  it("a tool_use block → supported", () => {
    const body = message([{ type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } }], "tool_use");
    expect(anthropicToolSupport(200, body)).toBe("supported");
  });

  it("text without a tool call → unsupported; cut by max_tokens before any text → unknown", () => {
    expect(anthropicToolSupport(200, message([{ type: "text", text: "It is sunny." }], "end_turn"))).toBe("unsupported");
    expect(anthropicToolSupport(200, message([], "max_tokens"))).toBe("unknown");
  });

  it("a 400 refusing tools → unsupported; other failures → unknown", () => {
    expect(anthropicToolSupport(400, err("invalid_request_error", "This model does not support tool use."))).toBe("unsupported");
    expect(anthropicToolSupport(400, err("invalid_request_error", "max_tokens: Field required"))).toBe("unknown");
    expect(anthropicToolSupport(401, INVALID_KEY)).toBe("unknown");
    expect(anthropicToolSupport(529, OVERLOADED)).toBe("unknown");
    expect(anthropicToolSupport(200, "<html></html>")).toBe("unknown");
    expect(anthropicToolSupport(200, "[]")).toBe("unknown");
  });
});
