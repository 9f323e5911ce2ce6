/**
 * The bounds on provider text (issue 8), one behaviour at a time: what still works on normal
 * bodies, what is no longer read past PROVIDER_SCAN_LIMIT, and the shapes that used to stall.
 */
import { describe, expect, it } from "vitest";
import { anthropicModelIds } from "./anthropic/adapter";
import { foundationModelIds } from "./bedrock/adapter";
import { bedrockErrorInfo } from "./bedrock/classify";
import { classifyGemini, googleError } from "./gemini/classify";
import { bestOf3, BUDGET_MS, fill, KEY } from "./hostile-bodies-kit";
import { maskSecretsIn } from "./mask";
import { miniMaxError } from "./minimax/classify";
import { extractError, messageFromNonJson, PROVIDER_SCAN_LIMIT, providerMessageOf } from "./openai-family/style";
import { openRouterError } from "./openrouter/classify";

const MiB = 1024 * 1024;

describe("messageFromNonJson: the page title, found in linear time", () => {
  it("still finds the title of a normal HTML error page, in any case, with attributes", () => {
    const nginx =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    expect(messageFromNonJson(nginx)).toBe("502 Bad Gateway");
    expect(messageFromNonJson('<!DOCTYPE html><HTML><HEAD><TITLE lang="en"> Service Unavailable </TITLE></HEAD></HTML>')).toBe(
      "Service Unavailable",
    );
    expect(messageFromNonJson("<div>x</div><title>Late but here</title></body>")).toBe("Late but here");
  });
  it("skips a title tag that does not qualify and takes the next, as before", () => {
    expect(messageFromNonJson("<html><title></title><title>Second</title></html>")).toBe("Second");
    expect(messageFromNonJson(`<html><title>${"t".repeat(201)}</title><title>Short</title></html>`)).toBe("Short");
    expect(messageFromNonJson("<html><title>no end <b>here</b></title>")).toBeUndefined();
    expect(messageFromNonJson("<html><title<title<title>")).toBeUndefined();
  });
  it("reads only the first PROVIDER_SCAN_LIMIT characters", () => {
    const early = `<html><title>Early</title>${"x".repeat(PROVIDER_SCAN_LIMIT)}</html>`;
    expect(messageFromNonJson(early)).toBe("Early");
    const late = `<html><body>${"x".repeat(PROVIDER_SCAN_LIMIT)}<title>Late</title></body></html>`;
    expect(messageFromNonJson(late)).toBeUndefined();
    expect(messageFromNonJson(fill("plain text "))).toHaveLength(1000);
  });
  it("answers `<html` + `<title`×N at the 1 MiB cap in milliseconds (was ≈ 4 minutes)", () => {
    const page = `<html${fill("<title", MiB - 5)}`;
    const { ms, value } = bestOf3(() => messageFromNonJson(page));
    expect(value).toBeUndefined();
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});

describe("provider text is bounded where it enters message extraction", () => {
  const huge = fill("model does not exist ");
  it("extractError and providerMessageOf keep the first PROVIDER_SCAN_LIMIT characters", () => {
    const error = extractError({ error: { message: huge, code: huge, type: huge, param: huge } });
    for (const field of [error.message, error.code, error.type, error.param]) expect(field).toHaveLength(PROVIDER_SCAN_LIMIT);
    expect(providerMessageOf(huge, {}, "")).toHaveLength(PROVIDER_SCAN_LIMIT);
    expect(extractError({ error: { message: "  short  " } }).message).toBe("short");
  });
  it("so do the Google, Bedrock, MiniMax and OpenRouter extractors", () => {
    expect(googleError({ error: { status: "NOT_FOUND", message: huge } })?.message).toHaveLength(PROVIDER_SCAN_LIMIT);
    expect(bedrockErrorInfo({ message: huge }, huge)).toEqual({
      type: expect.any(String),
      message: huge.slice(0, PROVIDER_SCAN_LIMIT).trim(),
    });
    expect(miniMaxError({ base_resp: { status_code: 2013, status_msg: huge } }, "").message?.length).toBeLessThanOrEqual(
      PROVIDER_SCAN_LIMIT,
    );
    const routed = openRouterError({ error: { code: 400, message: "m", metadata: { provider_name: huge, raw: huge } } });
    expect(routed.message!.length).toBeLessThanOrEqual(PROVIDER_SCAN_LIMIT);
    expect(routed.message).toMatch(/^m \(model does not exist .{0,90}: model does not exist /);
  });
});

describe("googleError on a huge envelope", () => {
  it("reads at most 32 details, violations and metadata values", () => {
    const detail = {
      reason: "API_KEY_INVALID",
      metadata: { service: "generativelanguage.googleapis.com", quota: "per day" },
      violations: Array(64).fill({ quotaId: "PerDay" }),
    };
    const envelope = { error: { status: "RESOURCE_EXHAUSTED", message: "m", details: Array(20_000).fill(detail) } };
    const { ms, value } = bestOf3(() => googleError(envelope));
    expect(value?.reasons).toHaveLength(32);
    expect(value!.quota.length).toBeLessThanOrEqual(PROVIDER_SCAN_LIMIT);
    expect(ms).toBeLessThan(BUDGET_MS);
  });
  it("a metadata object of 150,000 keys no longer overflows the stack (it threw a RangeError)", () => {
    const keys = Array.from({ length: 150_000 }, (_, i) => `"k${i}":"v"`).join(",");
    const text = `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"m","details":[{"metadata":{${keys}}}]}}`;
    const { ms, value } = bestOf3(() => classifyGemini(429, text, "invocation"));
    expect(value.outcome).toBe("rate_limited");
    expect(ms).toBeLessThan(BUDGET_MS);
  });
  it("still classifies `models/<id> is not found`, and `models/`×N stays fast", () => {
    const body = (message: string) => JSON.stringify({ error: { code: 403, status: "PERMISSION_DENIED", message } });
    expect(classifyGemini(403, body("models/gemini-x is not found"), "model").outcome).toBe("invalid_model");
    const hostile = body(fill("models/", 64 * 1024));
    const { ms, value } = bestOf3(() => classifyGemini(403, hostile, "model"));
    expect(value.outcome).toBe("invalid_key");
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});

describe("model lists", () => {
  it("foundationModelIds keeps the first 500 distinct ids of a huge list in milliseconds (was quadratic)", () => {
    const modelSummaries = Array.from({ length: 100_000 }, (_, i) => ({ modelId: `vendor.model-${i % 50_000}` }));
    const { ms, value } = bestOf3(() => foundationModelIds({ modelSummaries }));
    expect(value).toHaveLength(500);
    expect(value?.slice(0, 2)).toEqual(["vendor.model-0", "vendor.model-1"]);
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(
      foundationModelIds({ modelSummaries: [{ modelId: "a" }, { modelId: "a" }, { modelId: "b", outputModalities: ["IMAGE"] }] }),
    ).toEqual(["a"]);
  });
  it("anthropicModelIds stops at 500, cut or not", () => {
    const entries = Array.from({ length: 2000 }, (_, i) => `{"type":"model","id":"claude-${i}"}`).join(",");
    expect(anthropicModelIds({ text: `{"data":[${entries}]}`, truncated: false })).toHaveLength(500);
    expect(anthropicModelIds({ text: `{"data":[${entries}`, truncated: true })).toHaveLength(500);
  });
});

describe("maskSecretsIn on long text", () => {
  it("masks the first PROVIDER_SCAN_LIMIT characters and drops the rest, marked …", () => {
    const text = `key ${KEY} ${fill("x", PROVIDER_SCAN_LIMIT)} ${KEY}`;
    const masked = maskSecretsIn(text, [KEY]);
    expect(masked.startsWith("key sk-proj-…MxYA x")).toBe(true);
    expect(masked.endsWith("…")).toBe(true);
    expect(masked.length).toBeLessThanOrEqual(PROVIDER_SCAN_LIMIT + 1);
    expect(masked).not.toContain(KEY);
  });
  it("leaves no 8 characters of a key the cut splits", () => {
    const text = `${"x ".repeat(PROVIDER_SCAN_LIMIT / 2 - 15)}${KEY}`;
    const masked = maskSecretsIn(text, [KEY]);
    const random = KEY.slice("sk-proj-".length);
    for (let i = 0; i + 8 <= random.length; i++) expect(masked).not.toContain(random.slice(i, i + 8));
  });
  it("is unchanged for text within the limit", () => {
    expect(maskSecretsIn(`Incorrect API key provided: ${KEY}.`, [KEY])).toBe("Incorrect API key provided: sk-proj-…MxYA.");
  });
});
