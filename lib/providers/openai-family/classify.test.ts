import { describe, expect, it } from "vitest";
import { classifyOpenAI } from "./adapter";
import { wantsMaxCompletionTokens } from "./classify";

const KEY = "sk-proj-Zq8xT3vLmN5pRw2yKb7cHd4fJg6sVa9eUt1iOo0QrXk2Lm3NpMxYA";
const err = (message: string, type: string | null, code: string | number | null, param: string | null = null) =>
  JSON.stringify({ error: { message, type, param, code } });

// Bodies quoted in /work/shared/providers.md (OpenAI section).
const INVALID_KEY = err(
  "Incorrect API key provided: sk-proj-****************************************MxYA. You can find your API key at https://platform.openai.com/account/api-keys.",
  "invalid_request_error",
  "invalid_api_key",
);
const NO_KEY = err(
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
  "invalid_request_error",
  null,
);
const MODEL_NOT_FOUND = err(
  "The model `gpt-5x` does not exist or you do not have access to it.",
  "invalid_request_error",
  "model_not_found",
);
const QUOTA = err(
  "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
  "insufficient_quota",
  "insufficient_quota",
);
const RATE = err(
  "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29910, Requested 1024. Please try again in 1.868s.",
  "tokens",
  "rate_limit_exceeded",
);
const HTML_500 =
  "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body><center><h1>500 Internal Server Error</h1></center><hr><center>cloudflare</center></body></html>";

describe("classifyOpenAI: OpenAI's documented bodies", () => {
  it("401 invalid_api_key → invalid_key, with the message and code", () => {
    const v = classifyOpenAI(401, INVALID_KEY, "key");
    expect(v).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 401, providerCode: "invalid_api_key" });
    expect(v.providerMessage).toMatch(/^Incorrect API key provided: sk-proj-\*+MxYA\./);
  });
  it("401 without a key → invalid_key (code null falls back to the type)", () => {
    const v = classifyOpenAI(401, NO_KEY, "key");
    expect(v).toMatchObject({ outcome: "invalid_key", providerCode: "invalid_request_error" });
    expect(v.providerMessage).toMatch(/^You didn't provide an API key\./);
  });
  it("404 model_not_found → invalid_model on the model and invocation steps", () => {
    expect(classifyOpenAI(404, MODEL_NOT_FOUND, "model")).toMatchObject({ outcome: "invalid_model", providerCode: "model_not_found" });
    expect(classifyOpenAI(404, MODEL_NOT_FOUND, "invocation").outcome).toBe("invalid_model");
  });
  it("429 insufficient_quota → quota_exceeded", () => {
    expect(classifyOpenAI(429, QUOTA, "invocation")).toMatchObject({ outcome: "quota_exceeded", httpStatus: 429 });
  });
  it("429 rate_limit_exceeded → rate_limited, never quota", () => {
    expect(classifyOpenAI(429, RATE, "invocation")).toMatchObject({ outcome: "rate_limited", providerCode: "rate_limit_exceeded" });
  });
  it("429 by message alone: quota wording → quota, anything else → rate_limited", () => {
    expect(classifyOpenAI(429, JSON.stringify({ error: { message: "You exceeded your current quota." } }), "invocation").outcome).toBe(
      "quota_exceeded",
    );
    expect(classifyOpenAI(429, "", "invocation").outcome).toBe("rate_limited");
  });
});

describe("classifyOpenAI: status first", () => {
  it("401 wins over a model complaint (bad key + bad model reports the key)", () => {
    expect(classifyOpenAI(401, MODEL_NOT_FOUND, "invocation").outcome).toBe("invalid_key");
  });
  it("403 → invalid_key, unless it is about model access", () => {
    expect(classifyOpenAI(403, err("Forbidden", "invalid_request_error", null), "key").outcome).toBe("invalid_key");
    expect(
      classifyOpenAI(403, err("You are not allowed to sample from this model", "invalid_request_error", null), "invocation").outcome,
    ).toBe("invalid_model");
  });
  it("402 → quota_exceeded", () => {
    expect(classifyOpenAI(402, "", "invocation").outcome).toBe("quota_exceeded");
  });
  it("5xx and 529 → provider_error with the status", () => {
    expect(
      classifyOpenAI(503, err("The engine is currently overloaded, please try again later.", "server_error", null), "key"),
    ).toMatchObject({
      outcome: "provider_error",
      httpStatus: 503,
      providerMessage: "The engine is currently overloaded, please try again later.",
    });
    expect(classifyOpenAI(529, "", "invocation")).toMatchObject({ outcome: "provider_error", httpStatus: 529 });
  });
  it("3xx (redirect not followed) → provider_error", () => {
    const v = classifyOpenAI(302, "<html><head><title>302 Found</title></head></html>", "key");
    expect(v).toMatchObject({ outcome: "provider_error", httpStatus: 302, providerMessage: "302 Found" });
  });
  it("404 on the list endpoint is a wrong API Host, not a wrong model", () => {
    expect(classifyOpenAI(404, err("Invalid URL (GET /models)", "invalid_request_error", null), "key").outcome).toBe("provider_error");
  });
  it("unrecognised statuses → provider_error, never valid", () => {
    expect(classifyOpenAI(418, "I'm a teapot", "invocation")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 418,
      providerMessage: "I'm a teapot",
    });
    expect(classifyOpenAI(400, err("Something odd", "invalid_request_error", null), "invocation").outcome).toBe("provider_error");
  });
  it("400 falls back to code, then message patterns; numeric codes are read", () => {
    expect(classifyOpenAI(400, err("x", null, "model_not_found"), "invocation").outcome).toBe("invalid_model");
    expect(
      classifyOpenAI(
        400,
        JSON.stringify({ error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } }),
        "key",
      ),
    ).toMatchObject({
      outcome: "invalid_key",
      providerCode: "400",
    });
    expect(classifyOpenAI(400, JSON.stringify({ error: { message: "Model Not Exist" } }), "invocation").outcome).toBe("invalid_model");
  });
});

describe("classifyOpenAI: bodies that are not the expected shape", () => {
  it("HTML 500 → provider_error with the page title", () => {
    expect(classifyOpenAI(500, HTML_500, "key")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
  });
  it("empty, array, plain-text and truncated error bodies never crash", () => {
    expect(classifyOpenAI(500, "", "key")).toMatchObject({ outcome: "provider_error", httpStatus: 500 });
    expect(classifyOpenAI(500, "", "key").providerMessage).toBeUndefined();
    expect(
      classifyOpenAI(400, JSON.stringify([{ error: { message: "Incorrect API key provided", code: "invalid_api_key" } }]), "key").outcome,
    ).toBe("invalid_key");
    expect(classifyOpenAI(400, "[1, 2, 3]", "key").outcome).toBe("provider_error");
    expect(classifyOpenAI(500, "upstream connect error or disconnect/reset before headers", "invocation")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "upstream connect error or disconnect/reset before headers",
    });
    expect(classifyOpenAI(429, RATE.slice(0, 40), "invocation", { truncated: true }).outcome).toBe("rate_limited");
    expect(classifyOpenAI(400, '{"error": {"mess', "invocation").outcome).toBe("provider_error");
  });
  it("a 200 is valid only with the step's expected shape", () => {
    expect(classifyOpenAI(200, JSON.stringify({ object: "list", data: [{ id: "gpt-4o" }] }), "key").outcome).toBe("valid");
    expect(classifyOpenAI(200, JSON.stringify({ id: "gpt-4o", object: "model" }), "model").outcome).toBe("valid");
    expect(classifyOpenAI(200, JSON.stringify({ id: "c", choices: [{ message: { content: "O" } }] }), "invocation").outcome).toBe("valid");
    for (const body of ["", "<html><body>Welcome to nginx!</body></html>", "[]", "OK", '{"object":"list"}', '{"id":"x"}']) {
      const v = classifyOpenAI(200, body, "invocation");
      expect(v.outcome, body).toBe("provider_error");
      expect(v.providerMessage, body).toBeTruthy();
    }
    expect(classifyOpenAI(200, '{"choices": [', "invocation", { truncated: true }).outcome).toBe("provider_error");
  });
  it("a model list cut at the size cap still proves the key; other cut bodies do not", () => {
    expect(classifyOpenAI(200, '{"object":"list","data":[{"id":"gpt-4o"},{"id":"ft:', "key", { truncated: true }).outcome).toBe("valid");
    expect(classifyOpenAI(200, "<html>".padEnd(5000, "x"), "key", { truncated: true }).outcome).toBe("provider_error");
  });
  it("a 200 carrying an error envelope is judged by its content", () => {
    expect(classifyOpenAI(200, INVALID_KEY, "invocation").outcome).toBe("invalid_key");
  });
  it("reasoning models stopping at the 1-token limit count as invoked", () => {
    const body = err(
      "Could not finish the message because max_tokens or model output limit was reached. Please try again with higher max_tokens.",
      "invalid_request_error",
      null,
    );
    expect(classifyOpenAI(400, body, "invocation").outcome).toBe("valid");
  });
});

describe("classifyOpenAI: the message in the verdict", () => {
  it("masks the key, keeps one line and at most 300 characters", () => {
    const body = err(
      `Incorrect API key provided: ${KEY}.\nYou can find your API key at https://platform.openai.com/account/api-keys. ${"x ".repeat(300)}`,
      null,
      "invalid_api_key",
    );
    const v = classifyOpenAI(401, body, "key", { secrets: [KEY] });
    expect(v.providerMessage).not.toContain(KEY);
    expect(v.providerMessage).not.toContain(KEY.slice(-12));
    expect(v.providerMessage).toContain("sk-proj-…MxYA");
    expect(v.providerMessage).not.toContain("\n");
    expect(v.providerMessage!.length).toBeLessThanOrEqual(300);
  });
  it("masks key-shaped strings even when the key was not passed in", () => {
    const v = classifyOpenAI(401, err(`Incorrect API key provided: ${KEY}`, null, "invalid_api_key"), "key");
    expect(v.providerMessage).not.toContain(KEY);
  });
});

describe("wantsMaxCompletionTokens", () => {
  it("spots OpenAI's unsupported max_tokens error", () => {
    const body = err(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      "invalid_request_error",
      "unsupported_parameter",
      "max_tokens",
    );
    expect(wantsMaxCompletionTokens(400, body)).toBe(true);
    expect(wantsMaxCompletionTokens(404, body)).toBe(false);
    expect(wantsMaxCompletionTokens(400, MODEL_NOT_FOUND)).toBe(false);
    expect(wantsMaxCompletionTokens(400, "<html>")).toBe(false);
  });
});
