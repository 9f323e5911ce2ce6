/** The Bedrock adapter against the provider emulator over real HTTP: SigV4 and Bearer, every outcome. */
import { describe, expect, it, vi } from "vitest";

// Before any import reads env: reach the emulator on loopback, and keep timeouts short.
await vi.hoisted(() => import("@/test/provider-env"));

import { emulatorKey, type RecordedRequest } from "@/e2e/emulator";
import { emulatorSecret } from "@/e2e/emulator/providers/bedrock";
import {
  expectNoSecret,
  expectRedirectNotFollowed,
  expectRefused,
  expectTimedOutPerRequest,
  withProviderEmulator,
  type Scenario,
} from "@/test/provider-kit";
import type { CredentialConfig } from "../types";
import { bedrockAdapter } from "./adapter";

const signal = () => new AbortController().signal;
const TEXT_MODELS = [
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "amazon.nova-micro-v1:0",
  "amazon.nova-lite-v1:0",
  "meta.llama3-1-8b-instruct-v1:0",
];

// No secret ever travels in a URL, in any request any test made.
const emu = withProviderEmulator("bedrock", { minRequests: 20 });
const { run } = emu;

type SigV4Options = { temporary?: boolean; secret?: string; host?: string; region?: string; token?: string };

function sigv4(scenario: Scenario = "valid", model = "amazon.nova-micro-v1:0", options: SigV4Options = {}): CredentialConfig {
  const accessKeyId = emulatorKey(scenario, options.temporary ? "ASIA" : "AKIA");
  const secrets: Record<string, string> = { accessKeyId, secretAccessKey: options.secret ?? emulatorSecret(accessKeyId) };
  const token = options.token ?? (options.temporary ? emulatorKey("valid", "IQoJb3JpZ2luX2Vj") : undefined);
  if (token) secrets.sessionToken = token;
  emu.remember(...Object.values(secrets));
  return { provider: "bedrock", apiHost: options.host ?? emu.apiHost, model, secrets, extra: { region: options.region ?? "us-east-1" } };
}

function bearer(scenario: Scenario = "valid", model = "amazon.nova-micro-v1:0", prefix = "ABSK"): CredentialConfig {
  const apiKey = emulatorKey(scenario, prefix);
  emu.remember(apiKey);
  return { provider: "bedrock", apiHost: emu.apiHost, model, secrets: { apiKey }, extra: { region: "us-east-1" } };
}

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/bedrock/, "")}`;
const LIST = "GET /foundation-models?byOutputModality=TEXT";
const converse = (model: string) => `POST /model/${encodeURIComponent(model)}/converse`;

describe("Bedrock validation with SigV4", () => {
  it("valid → key (ListFoundationModels) then Converse with maxTokens 1, signed and verified", async () => {
    const cfg = sigv4();
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(result.models).toEqual(TEXT_MODELS);
    expect(requests.map(route)).toEqual([LIST, converse("amazon.nova-micro-v1:0")]);
    expect(JSON.parse(requests[1]!.body)).toEqual({
      messages: [{ role: "user", content: [{ text: "hi" }] }],
      inferenceConfig: { maxTokens: 1 },
    });
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    for (const r of requests) {
      expect(r.headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${cfg.secrets.accessKeyId}/${today}/us-east-1/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(r.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
      expect(r.headers).not.toHaveProperty("x-amz-security-token");
      expect(JSON.stringify(r.headers)).not.toContain(cfg.secrets.secretAccessKey);
    }
  });

  it("a tampered secret → invalid_key: the emulator recomputes the signature", async () => {
    const good = sigv4();
    const cfg = sigv4("valid", "amazon.nova-micro-v1:0", { secret: `${emulatorSecret(good.secrets.accessKeyId!)}x` });
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 403, providerCode: "InvalidSignatureException" });
    expect(result.providerMessage).toMatch(/^The request signature we calculated does not match/);
    expect(requests.map(route)).toEqual([LIST]);
    expectNoSecret(result, cfg);
  });

  it("temporary credentials: the session token goes in X-Amz-Security-Token, signed", async () => {
    const cfg = sigv4("valid", "amazon.nova-micro-v1:0", { temporary: true });
    const { result, requests } = await run(cfg);
    expect(result.outcome).toBe("valid");
    for (const r of requests) {
      expect(r.headers["x-amz-security-token"]).toBe(cfg.secrets.sessionToken);
      expect(r.headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
    }
    // A temporary key without its token, or a long-term key with one, is not recognised.
    const { sessionToken: _dropped, ...withoutToken } = cfg.secrets;
    expect((await run({ ...cfg, secrets: withoutToken })).result).toMatchObject({
      outcome: "invalid_key",
      providerCode: "UnrecognizedClientException",
    });
    expect((await run(sigv4("valid", "amazon.nova-micro-v1:0", { token: "IQoJb3JpZ2luX2VjEXAMPLE" }))).result.outcome).toBe("invalid_key");
  });

  it("bad access key → invalid_key at the key step, nothing else called; with a bad model too", async () => {
    const cfg = sigv4("bad");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 403, providerCode: "UnrecognizedClientException" });
    expect(result.providerMessage).toBe("The security token included in the request is invalid.");
    expect(requests.map(route)).toEqual([LIST]);
    expectNoSecret(result, cfg);
    expect((await run(sigv4("bad", "no.such-model-v9:0"))).result.outcome).toBe("invalid_key");
  });

  it("a region that is not one → invalid_key (the signature's scope is refused)", async () => {
    const { result } = await run(sigv4("valid", "amazon.nova-micro-v1:0", { region: "mars" }));
    expect(result).toMatchObject({ outcome: "invalid_key", providerCode: "InvalidSignatureException" });
    expect(result.providerMessage).toMatch(/valid region/);
  });

  it("an identity not allowed to list models → Converse decides, key and model alike", async () => {
    const accessKeyId = emulatorKey("valid", "AKIAnolist-");
    const cfg = { ...sigv4(), secrets: { accessKeyId, secretAccessKey: emulatorSecret(accessKeyId) } };
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "valid", step: "invocation" });
    expect(result.models).toBeUndefined();
    expect(requests.map(route)).toEqual([LIST, converse("amazon.nova-micro-v1:0")]);
    expect((await run({ ...cfg, model: "anthropic.claude-9-v1:0" })).result.outcome).toBe("invalid_model");
    expect((await run({ ...cfg, secrets: { ...cfg.secrets, secretAccessKey: "wrong" } })).result).toMatchObject({
      outcome: "invalid_key",
      step: "key",
    });
    await expect(bedrockAdapter.listModels(cfg, { signal: signal() })).rejects.toThrow(/AccessDeniedException/);
  });

  it("no credentials, or half a key pair → invalid_key without any request", async () => {
    const partial: Record<string, string>[] = [{}, { accessKeyId: "AKIAEXAMPLEEXAMPLE00" }, { secretAccessKey: "x".repeat(40) }];
    for (const secrets of partial) {
      const { result, requests } = await run({
        provider: "bedrock",
        apiHost: emu.apiHost,
        model: "amazon.nova-micro-v1:0",
        secrets,
        extra: {},
      });
      expect(result).toMatchObject({ outcome: "invalid_key", step: "key" });
      expect(requests).toHaveLength(0);
    }
  });
});

describe("Bedrock validation with an API key (Bearer)", () => {
  it("valid → Bearer on both calls, no SigV4 headers", async () => {
    const cfg = bearer();
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "valid", step: "invocation", models: TEXT_MODELS });
    expect(requests.map(route)).toEqual([LIST, converse("amazon.nova-micro-v1:0")]);
    for (const r of requests) {
      expect(r.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
      for (const name of ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]) expect(r.headers).not.toHaveProperty(name);
    }
  });

  it("an API key wins over an access key pair given too", async () => {
    const pair = sigv4();
    const cfg = { ...bearer(), secrets: { ...pair.secrets, apiKey: bearer().secrets.apiKey! } };
    const { requests } = await run(cfg);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
  });

  it("a bad or malformed API key → invalid_key (AccessDeniedException about the key, not the model)", async () => {
    const bad = bearer("bad");
    const { result, requests } = await run(bad);
    expect(result).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 403, providerCode: "AccessDeniedException" });
    expect(result.providerMessage).toMatch(/Please make sure your API Key is valid/);
    expect(requests).toHaveLength(1);
    expectNoSecret(result, bad);
    const { result: malformed } = await run(bearer("valid", "amazon.nova-micro-v1:0", "sk-"));
    expect(malformed).toMatchObject({
      outcome: "invalid_key",
      providerMessage: "Invalid API Key format: Must start with pre-defined prefix",
    });
  });
});

describe("Bedrock models", () => {
  it("an unknown model → invalid_model from Converse (ValidationException)", async () => {
    const { result, requests } = await run(sigv4("valid", "anthropic.claude-9-v1:0"));
    expect(result).toMatchObject({ outcome: "invalid_model", step: "invocation", httpStatus: 400, providerCode: "ValidationException" });
    expect(result.providerMessage).toBe("The provided model identifier is invalid.");
    expect(result.models).toEqual(TEXT_MODELS);
    expect(requests.map(route)).toEqual([LIST, converse("anthropic.claude-9-v1:0")]);
  });

  it("no access to the model → invalid_model (AccessDeniedException)", async () => {
    const { result } = await run(bearer("valid", "anthropic.claude-noaccess-v1:0"));
    expect(result).toMatchObject({ outcome: "invalid_model", httpStatus: 403, providerCode: "AccessDeniedException" });
  });

  it("an embedding model, or a profile-only model called by its bare id → invalid_model", async () => {
    expect((await run(sigv4("valid", "amazon.titan-embed-text-v2:0"))).result.outcome).toBe("invalid_model");
    const { result } = await run(sigv4("valid", "anthropic.claude-sonnet-4-20250514-v1:0"));
    expect(result).toMatchObject({ outcome: "invalid_model", providerCode: "ValidationException" });
    expect(result.providerMessage).toMatch(/inference profile/);
  });

  it("inference profiles and ARNs are not in the list, and are still valid", async () => {
    for (const model of [
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0",
      "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
    ]) {
      const { result, requests } = await run(sigv4("valid", model));
      expect(result.outcome).toBe("valid");
      expect(requests.map(route)).toEqual([LIST, converse(model)]);
    }
  });

  it("an empty model → invalid_model, no Converse call", async () => {
    const { result, requests } = await run(sigv4("valid", "  "));
    expect(result).toMatchObject({ outcome: "invalid_model", step: "model" });
    expect(requests.map(route)).toEqual([LIST]);
  });
});

describe("Bedrock limits and failures", () => {
  it("quota → quota_exceeded (ServiceQuotaExceededException); ratelimit → rate_limited, never quota", async () => {
    expect((await run(sigv4("quota"))).result).toMatchObject({
      outcome: "quota_exceeded",
      step: "invocation",
      httpStatus: 400,
      providerCode: "ServiceQuotaExceededException",
    });
    expect((await run(bearer("ratelimit"))).result).toMatchObject({
      outcome: "rate_limited",
      step: "invocation",
      httpStatus: 429,
      providerCode: "ThrottlingException",
    });
  });

  it("error500 (HTML), overloaded and redirect → provider_error with the status", async () => {
    const html = (await run(sigv4("error500"))).result;
    expect(html).toMatchObject({ outcome: "provider_error", step: "key", httpStatus: 500, providerMessage: "500 Internal Server Error" });
    expect((await run(sigv4("overloaded"))).result).toMatchObject({
      outcome: "provider_error",
      httpStatus: 503,
      providerCode: "ServiceUnavailableException",
    });
    expectRedirectNotFollowed(await run(bearer("redirect")));
  });

  it("huge model list → cut at the size cap, the key still proven, validation completes", async () => {
    const { result, requests } = await run(sigv4("huge"));
    expect(result).toMatchObject({ outcome: "valid", step: "invocation" });
    expect(result.models?.slice(0, 4)).toEqual(TEXT_MODELS);
    expect(result.models!.length).toBeLessThanOrEqual(500);
    expect(requests).toHaveLength(2);
  });

  it("slow provider → unreachable, timed out; closed port → unreachable, refused", async () => {
    await expectTimedOutPerRequest(() => run(sigv4("slow")));
    await expectRefused((port) => run(sigv4("valid", "amazon.nova-micro-v1:0", { host: `http://127.0.0.1:${port}/bedrock` })));
  });

  it("a private address not allow-listed → unreachable", async () => {
    const cfg = { ...sigv4(), apiHost: "https://10.0.0.1" };
    expect((await run(cfg)).result).toMatchObject({ outcome: "unreachable", host: "10.0.0.1" });
  });
});

describe("Bedrock listModels and checkTools", () => {
  it("listModels → the text, on-demand models; throws for a bad key", async () => {
    expect(await bedrockAdapter.listModels(sigv4(), { signal: signal() })).toEqual(TEXT_MODELS);
    expect(await bedrockAdapter.listModels(bearer(), { signal: signal() })).toEqual(TEXT_MODELS);
    await expect(bedrockAdapter.listModels(sigv4("bad"), { signal: signal() })).rejects.toThrow(/invalid_key.*UnrecognizedClientException/);
  });

  it("checkTools → supported with toolChoice any, one request, 32 tokens", async () => {
    const before = emu.emulator.requests().length;
    expect(await bedrockAdapter.checkTools(sigv4(), { signal: signal() })).toBe("supported");
    const requests = emu.emulator.requests().slice(before);
    expect(requests.map(route)).toEqual([converse("amazon.nova-micro-v1:0")]);
    const body = JSON.parse(requests[0]!.body) as {
      inferenceConfig: unknown;
      toolConfig: { tools: { toolSpec: { name: string } }[]; toolChoice: unknown };
    };
    expect(body.inferenceConfig).toEqual({ maxTokens: 32 });
    expect(body.toolConfig.tools[0]!.toolSpec.name).toBe("get_weather");
    expect(body.toolConfig.toolChoice).toEqual({ any: {} });
  });

  it("checkTools → a model refusing toolChoice any is asked again without it", async () => {
    const before = emu.emulator.requests().length;
    expect(await bedrockAdapter.checkTools(bearer("valid", "meta.llama3-1-8b-instruct-v1:0"), { signal: signal() })).toBe("supported");
    const bodies = emu.emulator
      .requests()
      .slice(before)
      .map((r) => JSON.parse(r.body) as { toolConfig: Record<string, unknown> });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]!.toolConfig).toHaveProperty("toolChoice");
    expect(bodies[1]!.toolConfig).not.toHaveProperty("toolChoice");
  });

  it("checkTools → unsupported for notools, unknown on failure", async () => {
    expect(await bedrockAdapter.checkTools(sigv4("notools"), { signal: signal() })).toBe("unsupported");
    expect(await bedrockAdapter.checkTools(sigv4("bad"), { signal: signal() })).toBe("unknown");
    expect(await bedrockAdapter.checkTools(sigv4("error500"), { signal: signal() })).toBe("unknown");
    expect(await bedrockAdapter.checkTools(sigv4("valid", "no.such-model-v1:0"), { signal: signal() })).toBe("unknown");
  });
});
