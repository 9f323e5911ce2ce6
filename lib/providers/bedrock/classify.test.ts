/** Bedrock's classifier on its real error bodies and headers, odd bodies, and the tool-probe judge. */
import { describe, expect, it } from "vitest";
import type { ValidationStep } from "../types";
import { foundationModelIds, salvageFoundationModelIds } from "./adapter";
import { classifyBedrock, listNotPermitted } from "./classify";
import { complainsAboutToolChoice, toolSupportFrom } from "./tools";

const CORAL = (name: string, ns = "com.amazon.bedrock") => `${name}:http://internal.amazon.com/coral/${ns}/`;
const msg = (message: string) => JSON.stringify({ message });

function verdict(status: number, body: string, step: ValidationStep, type?: string, secrets: string[] = []) {
  return classifyBedrock(status, body, step, { errorTypeHeader: type ? CORAL(type) : undefined, secrets });
}

describe("classifyBedrock: documented errors", () => {
  const cases: [string, number, string, string | undefined, ValidationStep, string][] = [
    [
      "unrecognized client",
      403,
      msg("The security token included in the request is invalid."),
      "UnrecognizedClientException",
      "key",
      "invalid_key",
    ],
    [
      "invalid signature",
      403,
      msg("The request signature we calculated does not match the signature you provided."),
      "InvalidSignatureException",
      "key",
      "invalid_key",
    ],
    [
      "expired token",
      403,
      msg("The security token included in the request is expired"),
      "ExpiredTokenException",
      "invocation",
      "invalid_key",
    ],
    ["missing token", 403, msg("Missing Authentication Token"), "MissingAuthenticationTokenException", "key", "invalid_key"],
    ["bare 401", 401, msg("Unauthorized"), undefined, "key", "invalid_key"],
    [
      "no model access",
      403,
      msg("You don't have access to the model with the specified model ID."),
      "AccessDeniedException",
      "invocation",
      "invalid_model",
    ],
    [
      "IAM denies InvokeModel",
      403,
      msg(
        "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/x",
      ),
      "AccessDeniedException",
      "invocation",
      "invalid_model",
    ],
    [
      "API key format",
      403,
      msg("Invalid API Key format: Must start with pre-defined prefix"),
      "AccessDeniedException",
      "invocation",
      "invalid_key",
    ],
    [
      "API key use denied",
      403,
      msg("User: arn:aws:iam::1:user/BedrockAPIKey-x is not authorized to perform: bedrock:CallWithBearerToken"),
      "AccessDeniedException",
      "invocation",
      "invalid_key",
    ],
    ["invalid model id", 400, msg("The provided model identifier is invalid."), "ValidationException", "invocation", "invalid_model"],
    [
      "profile needed",
      400,
      msg("Invocation of model ID anthropic.claude-sonnet-4 with on-demand throughput isn’t supported."),
      "ValidationException",
      "invocation",
      "invalid_model",
    ],
    [
      "use case form",
      404,
      msg("Model use case details have not been submitted for this account."),
      "ResourceNotFoundException",
      "invocation",
      "invalid_model",
    ],
    ["throttled", 429, msg("Too many requests, please wait before trying again."), "ThrottlingException", "invocation", "rate_limited"],
    ["too many tokens", 429, msg("Too many tokens, please wait before trying again."), "ThrottlingException", "invocation", "rate_limited"],
    [
      "daily tokens",
      429,
      msg("Too many tokens per day, please wait before trying again."),
      "ThrottlingException",
      "invocation",
      "quota_exceeded",
    ],
    [
      "service quota",
      400,
      msg("Your request exceeds the service quota for your account."),
      "ServiceQuotaExceededException",
      "invocation",
      "quota_exceeded",
    ],
    [
      "model not ready",
      429,
      msg("The model specified in the request is not ready to serve inference requests."),
      "ModelNotReadyException",
      "invocation",
      "provider_error",
    ],
    ["unavailable", 503, msg("Service Unavailable"), "ServiceUnavailableException", "invocation", "provider_error"],
    ["internal", 500, msg("Internal Server Error"), "InternalServerException", "key", "provider_error"],
    ["model timeout", 408, msg("Model has timed out in processing the request."), "ModelTimeoutException", "invocation", "provider_error"],
    [
      "unknown operation",
      404,
      msg("Unable to determine service/operation name to be authorized"),
      "UnknownOperationException",
      "key",
      "provider_error",
    ],
  ];
  it.each(cases)("%s → %s", (_name, status, body, type, step, outcome) => {
    expect(verdict(status, body, step, type)).toMatchObject({ outcome, step, httpStatus: status, ...(type ? { providerCode: type } : {}) });
  });

  it("keeps the provider's message, one line, at most 300 chars", () => {
    const v = verdict(400, msg(`The provided model\nidentifier is invalid. ${"x".repeat(400)}`), "invocation", "ValidationException");
    expect(v.providerMessage).toMatch(/^The provided model identifier is invalid\./);
    expect(v.providerMessage!.length).toBeLessThanOrEqual(300);
  });

  it("reads the type from __type or code when the header is missing", () => {
    const typed = JSON.stringify({ __type: "com.amazon.coral.service#UnrecognizedClientException", message: "x" });
    expect(classifyBedrock(403, typed, "key")).toMatchObject({ outcome: "invalid_key", providerCode: "UnrecognizedClientException" });
    const coded = JSON.stringify({ code: "ThrottlingException", Message: "slow down" });
    expect(classifyBedrock(429, coded, "invocation")).toMatchObject({ outcome: "rate_limited", providerMessage: "slow down" });
  });

  it("the header wins over the body", () => {
    const body = JSON.stringify({ __type: "ValidationException", message: "Too many requests" });
    expect(verdict(429, body, "invocation", "ThrottlingException").outcome).toBe("rate_limited");
  });

  it("the capitalised Message field of an API-key failure → invalid_key", () => {
    const body = JSON.stringify({ Message: "Authentication failed: Please make sure your API Key is valid." });
    expect(classifyBedrock(403, body, "key")).toMatchObject({ outcome: "invalid_key", providerMessage: body.slice(12, -2) });
  });

  it("masks secrets in the message", () => {
    const key = "AKIAIOSFODNN7EXAMPLE";
    const v = verdict(403, msg(`The key ${key} is not valid`), "key", "UnrecognizedClientException", [key]);
    expect(JSON.stringify(v)).not.toContain(key);
  });
});

describe("classifyBedrock: statuses and odd bodies", () => {
  it("a 2xx passes only with the step's shape", () => {
    expect(classifyBedrock(200, '{"modelSummaries":[]}', "key")).toEqual({ outcome: "valid", step: "key", httpStatus: 200 });
    expect(classifyBedrock(200, '{"output":{"message":{"role":"assistant","content":[{"text":"O"}]}}}', "invocation").outcome).toBe(
      "valid",
    );
    expect(classifyBedrock(200, '{"output":{}}', "key").outcome).toBe("provider_error");
    expect(classifyBedrock(200, '{"modelSummaries":[]}', "invocation").outcome).toBe("provider_error");
  });

  it("a list cut at the size cap still proves the key; other cut bodies do not", () => {
    expect(classifyBedrock(200, '{"modelSummaries":[{"modelId":"a', "key", { truncated: true }).outcome).toBe("valid");
    const cut = classifyBedrock(200, '{"output":{"mess', "invocation", { truncated: true });
    expect(cut).toMatchObject({ outcome: "provider_error", providerMessage: expect.stringMatching(/size limit/) as unknown });
  });

  const odd: [string, string][] = [
    ["HTML", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"],
    ["empty", ""],
    ["array", '[{"message":"x"}]'],
    ["plain text", "upstream connect error or disconnect/reset before headers"],
    ["truncated JSON", '{"message":"The security'],
    ["JSON string", '"oops"'],
  ];
  it.each(odd)("%s bodies never crash and are never valid", (_name, body) => {
    for (const status of [200, 400, 403, 404, 429, 500, 502, 503]) {
      for (const step of ["key", "invocation"] as const) {
        const v = classifyBedrock(status, body, step);
        expect(v.outcome).not.toBe("valid");
        expect(v.httpStatus).toBe(status);
        if (v.providerMessage) expect(v.providerMessage.length).toBeLessThanOrEqual(300);
      }
    }
  });

  it("HTML 5xx → provider_error with the page title", () => {
    const page = "<html><head><title>500 Internal Server Error</title></head><body>cloudflare</body></html>";
    expect(classifyBedrock(500, page, "key")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
  });

  it("unrecognised answers → provider_error; a 5xx whatever its type; a 3xx", () => {
    expect(verdict(400, msg("Something odd"), "invocation", "SomethingNewException").outcome).toBe("provider_error");
    expect(verdict(500, msg("x"), "invocation", "UnrecognizedClientException").outcome).toBe("provider_error");
    expect(classifyBedrock(302, "", "key").outcome).toBe("provider_error");
    expect(classifyBedrock(404, "<html>Not Found</html>", "invocation").outcome).toBe("provider_error");
  });

  it("a ValidationException or 404 on the list is the host's fault, not the model's", () => {
    expect(verdict(400, msg("bad filter"), "key", "ValidationException").outcome).toBe("provider_error");
    expect(verdict(404, msg("nope"), "key", "ResourceNotFoundException").outcome).toBe("provider_error");
  });

  it("a bare 429 is a rate limit unless it speaks of a quota", () => {
    expect(classifyBedrock(429, "Too Many Requests", "invocation").outcome).toBe("rate_limited");
    expect(classifyBedrock(429, msg("You exceeded the service quota for your account"), "invocation").outcome).toBe("quota_exceeded");
  });
});

describe("listNotPermitted", () => {
  it("is true only for an IAM denial of the list to an authenticated identity", () => {
    const denied = msg(
      "User: arn:aws:iam::1:user/dev is not authorized to perform: bedrock:ListFoundationModels because no identity-based policy allows it",
    );
    expect(listNotPermitted(403, denied, CORAL("AccessDeniedException"))).toBe(true);
    expect(listNotPermitted(403, denied, CORAL("UnrecognizedClientException"))).toBe(false);
    expect(listNotPermitted(403, msg("Invalid API Key format: Must start with pre-defined prefix"), CORAL("AccessDeniedException"))).toBe(
      false,
    );
    expect(listNotPermitted(401, denied, CORAL("AccessDeniedException"))).toBe(false);
    expect(listNotPermitted(403, "<html></html>", null)).toBe(false);
  });
});

describe("tool probe judge", () => {
  const answer = (content: unknown[], stopReason = "tool_use") =>
    JSON.stringify({ output: { message: { role: "assistant", content } }, stopReason });

  it("a toolUse block → supported; text only → unsupported; an empty answer cut at max tokens → unknown", () => {
    expect(toolSupportFrom(200, answer([{ toolUse: { toolUseId: "t", name: "get_weather", input: {} } }]), false, "any")).toBe("supported");
    expect(toolSupportFrom(200, answer([{ text: "It is sunny." }], "end_turn"), false, "auto")).toBe("unsupported");
    expect(toolSupportFrom(200, answer([], "max_tokens"), false, "any")).toBe("unknown");
    expect(toolSupportFrom(200, "<html></html>", false, "any")).toBe("unknown");
  });

  it("Bedrock's refusals", () => {
    const header = CORAL("ValidationException");
    expect(toolSupportFrom(400, msg("This model doesn't support tool use."), false, "any", header)).toBe("unsupported");
    const choice = msg("This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.");
    expect(complainsAboutToolChoice(400, choice, header)).toBe(true);
    expect(complainsAboutToolChoice(400, msg("This model doesn't support tool use."), header)).toBe(false);
    expect(toolSupportFrom(400, choice, false, "any", header)).toBe("unknown");
    expect(toolSupportFrom(400, choice, false, "auto", header)).toBe("unsupported");
  });

  it("anything else → unknown", () => {
    expect(
      toolSupportFrom(
        403,
        msg("The security token included in the request is invalid."),
        false,
        "any",
        CORAL("UnrecognizedClientException"),
      ),
    ).toBe("unknown");
    expect(toolSupportFrom(429, msg("Too many requests"), false, "any", CORAL("ThrottlingException"))).toBe("unknown");
    expect(toolSupportFrom(500, "", false, "any")).toBe("unknown");
  });
});

describe("ListFoundationModels parsing", () => {
  const summary = (modelId: string, outputModalities?: string[], inferenceTypesSupported?: string[]) => ({
    modelId,
    modelName: modelId,
    providerName: "P",
    ...(outputModalities ? { outputModalities } : {}),
    ...(inferenceTypesSupported ? { inferenceTypesSupported } : {}),
    modelLifecycle: { status: "ACTIVE" },
  });
  const list = {
    modelSummaries: [
      summary("a.text-v1:0", ["TEXT"], ["ON_DEMAND"]),
      summary("a.embed-v1:0", ["EMBEDDING"], ["ON_DEMAND"]),
      summary("a.profile-only-v1:0", ["TEXT"], ["INFERENCE_PROFILE"]),
      summary("a.text-v1:0:48k", ["TEXT"], ["PROVISIONED"]),
      summary("a.bare-v1:0"),
      summary("a.text-v1:0", ["TEXT"], ["ON_DEMAND"]),
      { modelName: "no id" },
      "junk",
    ],
  };

  it("keeps text, on-demand models (fields absent → kept), once each", () => {
    expect(foundationModelIds(list)).toEqual(["a.text-v1:0", "a.bare-v1:0"]);
    expect(foundationModelIds({ modelSummaries: "x" })).toBeUndefined();
    expect(foundationModelIds([list])).toBeUndefined();
  });

  it("salvages the complete entries of a cut list, filtered the same way", () => {
    const text = JSON.stringify(list);
    const cut = text.slice(0, text.indexOf("a.bare-v1:0") + 5);
    expect(salvageFoundationModelIds(cut)).toEqual(["a.text-v1:0"]);
    expect(salvageFoundationModelIds(text)).toEqual(["a.text-v1:0", "a.bare-v1:0"]);
    expect(salvageFoundationModelIds('{"modelSummaries":[{"modelId":"a \\"}{ b","outputModalities":["TEXT"]}')).toEqual(['a "}{ b']);
    expect(salvageFoundationModelIds("<html>")).toEqual([]);
  });
});
