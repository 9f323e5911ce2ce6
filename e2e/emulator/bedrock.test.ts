/** Bedrock emulation over real HTTP: SigV4 verified for real, Bearer keys, scenarios, list and Converse. */
import aws4 from "aws4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, emulatorKey, startEmulator, type Emulator } from "./index";
import { authenticate } from "./providers/bedrock-auth";
import { emulatorSecret } from "./providers/bedrock";
import { call, type CallResult } from "./test-client";

let emulator: Emulator;
let base: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
  base = emulatorApiHost(emulator.url, "bedrock");
});
afterAll(() => emulator.close());

type SignOptions = { secret?: string; token?: string; region?: string; service?: string; date?: Date; method?: string };

/** Signs like an AWS SDK would (aws4), then sends over HTTP. */
async function signed(accessKeyId: string, path: string, body?: unknown, options: SignOptions = {}): Promise<CallResult> {
  const url = new URL(`${base}${path}`);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (text !== undefined) headers["content-type"] = "application/json";
  if (options.date) headers["X-Amz-Date"] = options.date.toISOString().replace(/[:-]|\.\d{3}/g, "");
  const request = aws4.sign(
    {
      host: url.host,
      path: `${url.pathname}${url.search}`,
      method: options.method ?? (text ? "POST" : "GET"),
      body: text,
      headers,
      service: options.service ?? "bedrock",
      region: options.region ?? "us-east-1",
    },
    { accessKeyId, secretAccessKey: options.secret ?? emulatorSecret(accessKeyId), sessionToken: options.token },
  );
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) if (name.toLowerCase() !== "host") sent[name] = String(value);
  return call(base, path, { method: request.method, rawBody: text, headers: sent });
}

const akid = (scenario: Parameters<typeof emulatorKey>[0] = "valid") => emulatorKey(scenario, "AKIA");
const probe = { messages: [{ role: "user", content: [{ text: "hi" }] }], inferenceConfig: { maxTokens: 1 } };
const converse = (model: string) => `/model/${encodeURIComponent(model)}/converse`;

function expectAwsError(res: CallResult, status: number, type: string, message?: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("x-amzn-errortype")).toMatch(new RegExp(`^${type}:http://internal\\.amazon\\.com/coral/`));
  expect(res.headers.get("x-amzn-requestid")).toBeTruthy();
  const body = res.json as Record<string, string>;
  const text = body.message ?? body.Message;
  if (message instanceof RegExp) expect(text).toMatch(message);
  else if (message) expect(text).toBe(message);
}

describe("bedrock SigV4", () => {
  it("accepts a correctly signed request and lists the foundation models", async () => {
    const res = await signed(akid(), "/foundation-models");
    expect(res.status).toBe(200);
    const body = res.json as { modelSummaries: Record<string, unknown>[] };
    expect(body.modelSummaries.map((m) => m.modelId)).toContain("anthropic.claude-3-5-sonnet-20240620-v1:0");
    expect(Object.keys(body.modelSummaries[0]!).sort()).toEqual(
      [
        "customizationsSupported",
        "inferenceTypesSupported",
        "inputModalities",
        "modelArn",
        "modelId",
        "modelLifecycle",
        "modelName",
        "outputModalities",
        "providerName",
        "responseStreamingSupported",
      ].sort(),
    );
    expect(body.modelSummaries[0]!.modelArn).toBe("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0");
  });

  it("verifies the signature: a wrong secret, a changed body or path → InvalidSignatureException", async () => {
    const id = akid();
    expectAwsError(
      await signed(id, "/foundation-models", undefined, { secret: "not-the-secret" }),
      403,
      "InvalidSignatureException",
      /^The request signature we calculated does not match/,
    );
    // Signed for one body, another sent.
    const url = new URL(`${base}${converse("amazon.nova-micro-v1:0")}`);
    const good = aws4.sign(
      {
        host: url.host,
        path: url.pathname,
        method: "POST",
        body: JSON.stringify(probe),
        headers: { "content-type": "application/json" },
        service: "bedrock",
        region: "us-east-1",
      },
      { accessKeyId: id, secretAccessKey: emulatorSecret(id) },
    );
    const headers = Object.fromEntries(
      Object.entries(good.headers!)
        .filter(([n]) => n !== "Host")
        .map(([n, v]) => [n, String(v)]),
    );
    const tampered = JSON.stringify({ ...probe, inferenceConfig: { maxTokens: 2 } });
    expectAwsError(
      await call(base, converse("amazon.nova-micro-v1:0"), {
        rawBody: tampered,
        headers: { ...headers, "Content-Length": String(tampered.length) },
      }),
      403,
      "InvalidSignatureException",
    );
    expect((await call(base, converse("amazon.nova-micro-v1:0"), { rawBody: JSON.stringify(probe), headers })).status).toBe(200);
    expectAwsError(
      await call(base, converse("amazon.nova-lite-v1:0"), { rawBody: JSON.stringify(probe), headers }),
      403,
      "InvalidSignatureException",
    );
    // The query is signed too.
    const listed = await signed(id, "/foundation-models?byOutputModality=TEXT");
    expect(listed.status).toBe(200);
    expect(emulator.requests().at(-1)!.path).toBe("/bedrock/foundation-models?byOutputModality=TEXT");
  });

  it("unknown, bad or missing credentials", async () => {
    const invalid = "The security token included in the request is invalid.";
    expectAwsError(await signed(akid("bad"), "/foundation-models"), 403, "UnrecognizedClientException", invalid);
    expectAwsError(await signed("XYZW1234", "/foundation-models"), 403, "UnrecognizedClientException", invalid);
    expectAwsError(await call(base, "/foundation-models"), 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    expectAwsError(
      await call(base, "/foundation-models", { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
      403,
      "IncompleteSignatureException",
    );
    expectAwsError(
      await call(base, "/foundation-models", {
        headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIAX/20250101/us-east-1/bedrock/aws4_request" },
      }),
      403,
      "IncompleteSignatureException",
      /SignedHeaders/,
    );
  });

  it("session tokens: required for ASIA keys, refused for AKIA keys, sent as X-Amz-Security-Token", async () => {
    const temp = emulatorKey("valid", "ASIA");
    expect((await signed(temp, "/foundation-models", undefined, { token: "FwoGZXIvYXdzEXAMPLE" })).status).toBe(200);
    expectAwsError(await signed(temp, "/foundation-models"), 403, "UnrecognizedClientException");
    expectAwsError(
      await signed(akid(), "/foundation-models", undefined, { token: "FwoGZXIvYXdzEXAMPLE" }),
      403,
      "UnrecognizedClientException",
    );
    const sent = emulator.requests().filter((r) => r.headers.authorization?.includes(`Credential=${temp}/`));
    expect(sent.map((r) => r.headers["x-amz-security-token"])).toEqual(["FwoGZXIvYXdzEXAMPLE", undefined]);
  });

  it("checks the scope and the clock", async () => {
    expectAwsError(
      await signed(akid(), "/foundation-models", undefined, { service: "bedrock-runtime" }),
      403,
      "InvalidSignatureException",
      "Credential should be scoped to correct service: 'bedrock'.",
    );
    expectAwsError(
      await signed(akid(), "/foundation-models", undefined, { region: "moon" }),
      403,
      "InvalidSignatureException",
      "Credential should be scoped to a valid region.",
    );
    expect((await signed(akid(), "/foundation-models", undefined, { region: "eu-west-3" })).status).toBe(200);
    const old = new Date(Date.now() - 16 * 60 * 1000);
    expectAwsError(
      await signed(akid(), "/foundation-models", undefined, { date: old }),
      403,
      "InvalidSignatureException",
      /^Signature expired: /,
    );
  });

  it("authenticate() rejects a request whose signed header is missing", () => {
    const id = akid();
    const request = {
      method: "GET",
      path: "/foundation-models",
      query: new URLSearchParams(),
      headers: {
        host: "h",
        "x-amz-date": "20250101T000000Z",
        authorization: `AWS4-HMAC-SHA256 Credential=${id}/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-extra, Signature=${"0".repeat(64)}`,
      },
      body: "",
    };
    const result = authenticate(request, "/bedrock", Date.UTC(2025, 0, 1));
    expect(result.ok).toBe(false);
  });
});

describe("bedrock API keys (Bearer)", () => {
  it("accepts ABSK and bedrock-api-key- keys; refuses others and bad ones", async () => {
    expect((await call(base, "/foundation-models", { key: emulatorKey("valid", "ABSK") })).status).toBe(200);
    expect(
      (await call(base, converse("amazon.nova-micro-v1:0"), { key: emulatorKey("valid", "bedrock-api-key-"), body: probe })).status,
    ).toBe(200);
    expectAwsError(
      await call(base, "/foundation-models", { key: "sk-valid-1234" }),
      403,
      "AccessDeniedException",
      "Invalid API Key format: Must start with pre-defined prefix",
    );
    const bad = await call(base, "/foundation-models", { key: emulatorKey("bad", "ABSK") });
    expectAwsError(bad, 403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.");
    expect(bad.json).toHaveProperty("Message");
  });
});

describe("bedrock scenarios", () => {
  const key = (scenario: Parameters<typeof emulatorKey>[0]) => emulatorKey(scenario, "ABSK");

  it("redirect, error500 and overloaded answer before anything else", async () => {
    const redirected = await call(base, "/foundation-models", { key: key("redirect") });
    expect(redirected.status).toBe(302);
    const page = await signed(akid("error500"), "/foundation-models");
    expect(page.status).toBe(500);
    expect(page.text).toMatch(/<title>500 Internal Server Error<\/title>/);
    expectAwsError(await call(base, "/foundation-models", { key: key("overloaded") }), 503, "ServiceUnavailableException");
  });

  it("quota and ratelimit hit Converse only", async () => {
    expect((await call(base, "/foundation-models", { key: key("quota") })).status).toBe(200);
    expectAwsError(
      await call(base, converse("amazon.nova-micro-v1:0"), { key: key("quota"), body: probe }),
      400,
      "ServiceQuotaExceededException",
      /service quota/,
    );
    const limited = await signed(akid("ratelimit"), converse("amazon.nova-micro-v1:0"), probe);
    expectAwsError(limited, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
    expect(limited.headers.get("retry-after")).toBe("2");
  });

  it("huge → a valid list over 2 MiB, the real models first", async () => {
    const res = await call(base, "/foundation-models", { key: key("huge") });
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(2 * 1024 * 1024);
    expect((res.json as { modelSummaries: { modelId: string }[] }).modelSummaries[0]!.modelId).toBe(
      "anthropic.claude-3-5-sonnet-20240620-v1:0",
    );
  });

  it("slow keys are delayed", async () => {
    const started = Date.now();
    expect((await call(base, "/foundation-models", { key: key("slow") })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("unknown operations and wrong methods → UnknownOperationException", async () => {
    expectAwsError(await call(base, "/model/x/invoke-nothing", { key: key("valid") }), 404, "UnknownOperationException");
    expectAwsError(await call(base, "/foundation-models", { key: key("valid"), body: {} }), 404, "UnknownOperationException");
  });
});

describe("bedrock list filters", () => {
  const ids = async (query: string) =>
    (
      (await call(base, `/foundation-models${query}`, { key: emulatorKey("valid", "ABSK") })).json as {
        modelSummaries: { modelId: string }[];
      }
    ).modelSummaries.map((m) => m.modelId);

  it("filters by output modality, inference type and provider; refuses unknown enum values", async () => {
    expect(await ids("?byOutputModality=EMBEDDING")).toEqual(["amazon.titan-embed-text-v2:0"]);
    expect(await ids("?byInferenceType=PROVISIONED")).toEqual([
      "anthropic.claude-3-haiku-20240307-v1:0:48k",
      "amazon.titan-image-generator-v2:0",
    ]);
    expect(await ids("?byProvider=meta")).toEqual(["meta.llama3-1-8b-instruct-v1:0"]);
    expectAwsError(
      await call(base, "/foundation-models?byOutputModality=AUDIO", { key: emulatorKey("valid", "ABSK") }),
      400,
      "ValidationException",
      /enum value set/,
    );
  });
});

describe("bedrock Converse", () => {
  const post = (model: string, body: unknown = probe, scenario: Parameters<typeof emulatorKey>[0] = "valid") =>
    call(base, converse(model), { key: emulatorKey(scenario, "ABSK"), body });

  it("answers in Converse's shape, one token for maxTokens 1", async () => {
    const res = await post("amazon.nova-micro-v1:0");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      output: { message: { role: "assistant", content: [{ text: "O" }] } },
      stopReason: "max_tokens",
      usage: { outputTokens: 1 },
    });
    const full = await post("amazon.nova-micro-v1:0", { messages: probe.messages });
    expect(full.json).toMatchObject({ output: { message: { content: [{ text: "OK. This is the emulator." }] } }, stopReason: "end_turn" });
  });

  it("model errors: unknown id, no access, embedding model, profile-only base id", async () => {
    expectAwsError(await post("anthropic.claude-9-v1:0"), 400, "ValidationException", "The provided model identifier is invalid.");
    expectAwsError(await post("us.amazon.titan-embed-text-v2:0"), 400, "ValidationException", "The provided model identifier is invalid.");
    expectAwsError(
      await post("meta.noaccess-v1:0"),
      403,
      "AccessDeniedException",
      "You don't have access to the model with the specified model ID.",
    );
    expectAwsError(await post("amazon.titan-embed-text-v2:0"), 400, "ValidationException", /supported text or chat model/);
    expectAwsError(
      await post("anthropic.claude-sonnet-4-20250514-v1:0"),
      400,
      "ValidationException",
      /with on-demand throughput isn’t supported/,
    );
  });

  it("profiles and ARNs resolve", async () => {
    for (const model of [
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
      "global.amazon.nova-lite-v1:0",
      "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-8b-instruct-v1:0",
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-micro-v1:0",
    ]) {
      expect((await post(model)).status).toBe(200);
    }
  });

  it("request errors: bad JSON, no messages, bad maxTokens", async () => {
    const raw = await call(base, converse("amazon.nova-micro-v1:0"), { key: emulatorKey("valid", "ABSK"), rawBody: "{nope" });
    expectAwsError(raw, 400, "SerializationException");
    expectAwsError(await post("amazon.nova-micro-v1:0", { inferenceConfig: { maxTokens: 1 } }), 400, "ValidationException", /'messages'/);
    expectAwsError(
      await post("amazon.nova-micro-v1:0", { messages: [{ role: "assistant", content: [{ text: "x" }] }] }),
      400,
      "ValidationException",
      /start with a user message/,
    );
    expectAwsError(
      await post("amazon.nova-micro-v1:0", { ...probe, inferenceConfig: { maxTokens: 0 } }),
      400,
      "ValidationException",
      /maxTokens/,
    );
  });

  it("tools: toolUse with toolChoice any; refused any on Llama; notools refuses tool use", async () => {
    const tool = { toolSpec: { name: "get_weather", description: "d", inputSchema: { json: { type: "object" } } } };
    const body = { ...probe, inferenceConfig: { maxTokens: 32 }, toolConfig: { tools: [tool], toolChoice: { any: {} } } };
    const used = await post("anthropic.claude-3-5-sonnet-20240620-v1:0", body);
    expect(used.json).toMatchObject({
      stopReason: "tool_use",
      output: { message: { content: [{ toolUse: { name: "get_weather", input: { city: "Paris" } } }] } },
    });
    expectAwsError(await post("meta.llama3-1-8b-instruct-v1:0", body), 400, "ValidationException", /toolConfig\.toolChoice\.any/);
    expect((await post("meta.llama3-1-8b-instruct-v1:0", { ...body, toolConfig: { tools: [tool] } })).json).toMatchObject({
      stopReason: "tool_use",
    });
    expectAwsError(
      await post("amazon.nova-micro-v1:0", body, "notools"),
      400,
      "ValidationException",
      "This model doesn't support tool use.",
    );
    expectAwsError(
      await post("amazon.nova-micro-v1:0", { ...body, toolConfig: { tools: [] } }),
      400,
      "ValidationException",
      /toolConfig\.tools/,
    );
  });
});
