import { describe, expect, it } from "vitest";
import { classifyGemini } from "./classify";

const KEY = "AIzaSyD-Zq8xT3vLmN5pRw2yKb7cHd4fJg6sVa9e";
const google = (code: number, status: string, message: string, details?: unknown[]) =>
  JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });
const wrapped = (body: string) => `[${body}]`;

// Bodies quoted in /work/shared/providers.md (Gemini section) and Google's public issue trackers.
const INVALID_KEY = google(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
  {
    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
    reason: "API_KEY_INVALID",
    domain: "googleapis.com",
    metadata: { service: "generativelanguage.googleapis.com" },
  },
  {
    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
    locale: "en-US",
    message: "API key not valid. Please pass a valid API key.",
  },
]);
const EXPIRED_KEY = google(400, "INVALID_ARGUMENT", "API key expired. Please renew the API key.", [
  { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
]);
const UNREGISTERED = google(
  403,
  "PERMISSION_DENIED",
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
);
const LEAKED = google(403, "PERMISSION_DENIED", "Your API key was reported as leaked. Please use another API key.");
const SERVICE_DISABLED = google(
  403,
  "PERMISSION_DENIED",
  "Generative Language API has not been used in project 123 before or it is disabled.",
  [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "SERVICE_DISABLED", domain: "googleapis.com" }],
);
const NOT_FOUND = google(
  404,
  "NOT_FOUND",
  "models/gemini-x is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.",
);
const BAD_MODEL_NAME = google(400, "INVALID_ARGUMENT", "* GenerateContentRequest.model: unexpected model name format\n");
const QUOTA_MESSAGE =
  "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 20, model: gemini-2.5-flash\nPlease retry in 36.429760048s.";
const violation = (quotaId: string) => ({
  "@type": "type.googleapis.com/google.rpc.QuotaFailure",
  violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests", quotaId, quotaValue: "20" }],
});
const RETRY = { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "36s" };
const HELP = {
  "@type": "type.googleapis.com/google.rpc.Help",
  links: [{ description: "Learn more", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }],
};
const PER_DAY = google(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, [violation("GenerateRequestsPerDayPerProjectPerModel-FreeTier"), RETRY]);
const PER_MINUTE = google(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, [
  violation("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
  RETRY,
]);
const GOOGLE_404_PAGE =
  "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n  <p><b>404.</b> <ins>That’s an error.</ins>";

describe("classifyGemini: keys", () => {
  it("400 API_KEY_INVALID → invalid_key (a 400, not a 401), reason as the code", () => {
    expect(classifyGemini(400, INVALID_KEY, "key")).toEqual({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 400,
      providerCode: "API_KEY_INVALID",
      providerMessage: "API key not valid. Please pass a valid API key.",
    });
    expect(classifyGemini(400, wrapped(INVALID_KEY), "invocation").outcome).toBe("invalid_key");
    expect(classifyGemini(400, EXPIRED_KEY, "key").outcome).toBe("invalid_key");
  });

  it("403s about the caller are invalid_key: no key, a leaked key, the API disabled for the project", () => {
    expect(classifyGemini(403, UNREGISTERED, "key")).toMatchObject({ outcome: "invalid_key", providerCode: "PERMISSION_DENIED" });
    expect(classifyGemini(403, LEAKED, "invocation").outcome).toBe("invalid_key");
    expect(classifyGemini(403, SERVICE_DISABLED, "key")).toMatchObject({ outcome: "invalid_key", providerCode: "SERVICE_DISABLED" });
  });

  it("OpenAI-shaped errors (a proxy in front) fall back to the OpenAI rules", () => {
    const body = JSON.stringify({
      error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" },
    });
    expect(classifyGemini(401, body, "key")).toMatchObject({ outcome: "invalid_key", providerCode: "invalid_api_key" });
  });
});

describe("classifyGemini: models", () => {
  it("404 NOT_FOUND → invalid_model on the model and invocation steps, provider_error on the list", () => {
    expect(classifyGemini(404, NOT_FOUND, "model")).toMatchObject({ outcome: "invalid_model", providerCode: "NOT_FOUND" });
    expect(classifyGemini(404, wrapped(NOT_FOUND), "invocation").outcome).toBe("invalid_model");
    expect(classifyGemini(404, NOT_FOUND, "key").outcome).toBe("provider_error");
  });

  it("400 unexpected model name format → invalid_model", () => {
    expect(classifyGemini(400, wrapped(BAD_MODEL_NAME), "invocation").outcome).toBe("invalid_model");
  });
});

describe("classifyGemini: RESOURCE_EXHAUSTED", () => {
  it("a per-day quotaId → quota_exceeded, even with a RetryInfo", () => {
    expect(classifyGemini(429, wrapped(PER_DAY), "invocation")).toMatchObject({
      outcome: "quota_exceeded",
      httpStatus: 429,
      providerCode: "RESOURCE_EXHAUSTED",
    });
  });

  it("a per-minute quotaId → rate_limited, though the message says 'exceeded your current quota'", () => {
    expect(classifyGemini(429, wrapped(PER_MINUTE), "invocation").outcome).toBe("rate_limited");
    const tokens = google(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, [violation("GenerateContentInputTokensPerModelPerMinute-FreeTier")]);
    expect(classifyGemini(429, tokens, "invocation").outcome).toBe("rate_limited");
  });

  it("without a quotaId: the message, then credits, then RetryInfo decide", () => {
    const dailyText = google(
      429,
      "RESOURCE_EXHAUSTED",
      "Quota exceeded for quota metric 'Gemini 2.5 Pro Requests' and limit 'Gemini 2.5 Pro Requests per day per user per tier'.",
    );
    expect(classifyGemini(429, dailyText, "invocation").outcome).toBe("quota_exceeded");
    const metadata = google(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "RATE_LIMIT_EXCEEDED",
        metadata: { quota_limit: "Gemini25ProRequestsPerDay" },
      },
    ]);
    expect(classifyGemini(429, metadata, "invocation")).toMatchObject({ outcome: "quota_exceeded", providerCode: "RATE_LIMIT_EXCEEDED" });
    const credits = google(
      429,
      "RESOURCE_EXHAUSTED",
      "Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage your project and billing.",
    );
    expect(classifyGemini(429, credits, "invocation").outcome).toBe("quota_exceeded");
    const retryOnly = google(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, [RETRY]);
    expect(classifyGemini(429, retryOnly, "invocation").outcome).toBe("rate_limited");
    const helpOnly = google(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
      HELP,
    ]);
    expect(classifyGemini(429, helpOnly, "invocation").outcome).toBe("quota_exceeded");
    const exhausted = google(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
    expect(classifyGemini(429, exhausted, "invocation").outcome).toBe("rate_limited");
  });
});

describe("classifyGemini: other answers", () => {
  it("5xx → provider_error with the canonical status as the code", () => {
    expect(classifyGemini(503, google(503, "UNAVAILABLE", "The model is overloaded. Please try again later."), "invocation")).toMatchObject(
      {
        outcome: "provider_error",
        httpStatus: 503,
        providerCode: "UNAVAILABLE",
      },
    );
    expect(classifyGemini(500, wrapped(google(500, "INTERNAL", "An internal error has occurred.")), "invocation").outcome).toBe(
      "provider_error",
    );
  });

  it("FAILED_PRECONDITION: an unsupported location is provider_error; 'enable billing' is quota", () => {
    expect(classifyGemini(400, google(400, "FAILED_PRECONDITION", "User location is not supported for the API use."), "key").outcome).toBe(
      "provider_error",
    );
    const billing = google(
      400,
      "FAILED_PRECONDITION",
      "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
    );
    expect(classifyGemini(400, billing, "invocation").outcome).toBe("quota_exceeded");
  });

  it("HTML, plain text, empty, array and truncated bodies never crash and are never valid", () => {
    expect(classifyGemini(404, GOOGLE_404_PAGE, "key")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "Error 404 (Not Found)!!1",
    });
    expect(classifyGemini(502, "Bad Gateway", "invocation")).toMatchObject({ outcome: "provider_error", providerMessage: "Bad Gateway" });
    expect(classifyGemini(500, "", "invocation")).toEqual({ outcome: "provider_error", step: "invocation", httpStatus: 500 });
    expect(classifyGemini(200, "[]", "invocation").outcome).toBe("provider_error");
    expect(classifyGemini(200, "[1,2]", "key").outcome).toBe("provider_error");
    expect(classifyGemini(429, PER_DAY.slice(0, 40), "invocation", { truncated: true }).outcome).toBe("rate_limited");
    expect(
      classifyGemini(200, '{"object":"list","data":[{"id":"models/gemini-2.5-flash"},{"id":"mod', "key", { truncated: true }).outcome,
    ).toBe("valid");
  });

  it("an error envelope under a 200 is judged by its code", () => {
    expect(classifyGemini(200, wrapped(INVALID_KEY), "invocation").outcome).toBe("invalid_key");
    expect(classifyGemini(200, google(503, "UNAVAILABLE", "Overloaded"), "invocation").outcome).toBe("provider_error");
  });

  it("masks the key, keeps one line of at most 300 characters", () => {
    const body = google(400, "INVALID_ARGUMENT", `API key not valid: ${KEY}\n${"x ".repeat(400)}`, [{ reason: "API_KEY_INVALID" }]);
    const verdict = classifyGemini(400, body, "key", { secrets: [KEY] });
    expect(verdict.outcome).toBe("invalid_key");
    expect(verdict.providerMessage).not.toContain(KEY);
    expect(verdict.providerMessage).not.toContain("\n");
    expect(verdict.providerMessage!.length).toBeLessThanOrEqual(300);
  });
});
