/** Bedrock endpoints, credential choice and request headers; a VPC endpoint end to end over HTTP. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { emulatorKey, startEmulator, type Emulator } from "@/e2e/emulator";
import { emulatorSecret } from "@/e2e/emulator/providers/bedrock";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/guarded-fetch";
import { createBedrockAdapter } from "./adapter";
import { bedrockAuthOf, bedrockEndpoints, bedrockHeaders } from "./sign";

describe("bedrockEndpoints", () => {
  it("derives the runtime and control plane from the Region when API Host is empty", () => {
    expect(bedrockEndpoints("", {})).toEqual({
      runtime: "https://bedrock-runtime.us-east-1.amazonaws.com",
      control: "https://bedrock.us-east-1.amazonaws.com",
      region: "us-east-1",
    });
    expect(bedrockEndpoints("  ", { region: " EU-West-3 " })).toMatchObject({
      runtime: "https://bedrock-runtime.eu-west-3.amazonaws.com",
      control: "https://bedrock.eu-west-3.amazonaws.com",
    });
  });

  it("maps an AWS runtime host to its control plane; the host's region wins over the field", () => {
    expect(bedrockEndpoints("https://bedrock-runtime.us-west-2.amazonaws.com/", { region: "us-east-1" })).toEqual({
      runtime: "https://bedrock-runtime.us-west-2.amazonaws.com",
      control: "https://bedrock.us-west-2.amazonaws.com",
      region: "us-west-2",
    });
    expect(bedrockEndpoints("https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com", {})).toMatchObject({
      control: "https://bedrock-fips.us-gov-west-1.amazonaws.com",
      region: "us-gov-west-1",
    });
  });

  it("a VPC endpoint has no derivable control plane", () => {
    expect(bedrockEndpoints("https://vpce-0a1b2c-d3e4.bedrock-runtime.eu-central-1.vpce.amazonaws.com", {})).toEqual({
      runtime: "https://vpce-0a1b2c-d3e4.bedrock-runtime.eu-central-1.vpce.amazonaws.com",
      control: undefined,
      region: "eu-central-1",
    });
  });

  it("any other host serves both from one base, signed for the Region field; pasted endpoints are cut", () => {
    expect(bedrockEndpoints("http://127.0.0.1:4010/bedrock/", { region: "ap-south-1" })).toEqual({
      runtime: "http://127.0.0.1:4010/bedrock",
      control: "http://127.0.0.1:4010/bedrock",
      region: "ap-south-1",
    });
    expect(bedrockEndpoints("https://gw.example.com/aws/model/amazon.nova-lite-v1:0/converse?x=1", {}).runtime).toBe(
      "https://gw.example.com/aws",
    );
    expect(bedrockEndpoints("https://gw.example.com/aws/foundation-models", {}).control).toBe("https://gw.example.com/aws");
  });
});

describe("bedrockAuthOf", () => {
  it("an API Key wins; else a complete key pair, with the session token when given", () => {
    expect(bedrockAuthOf({ apiKey: " ABSKx ", accessKeyId: "AKIA1", secretAccessKey: "s" })).toEqual({ kind: "bearer", apiKey: "ABSKx" });
    expect(bedrockAuthOf({ accessKeyId: "AKIA1", secretAccessKey: "s" })).toEqual({
      kind: "sigv4",
      accessKeyId: "AKIA1",
      secretAccessKey: "s",
    });
    expect(bedrockAuthOf({ accessKeyId: "ASIA1", secretAccessKey: "s", sessionToken: "t" })).toMatchObject({ sessionToken: "t" });
    expect(bedrockAuthOf({ accessKeyId: "AKIA1" })).toBeUndefined();
    expect(bedrockAuthOf({ apiKey: "  " })).toBeUndefined();
  });
});

describe("bedrockHeaders", () => {
  afterEach(() => vi.useRealTimers());

  it("Bearer: the key, JSON headers, nothing signed", () => {
    const headers = bedrockHeaders(
      { kind: "bearer", apiKey: "ABSKkey" },
      { method: "POST", url: "https://h/model/m/converse", body: "{}", region: "us-east-1" },
    );
    expect(headers).toEqual({ accept: "application/json", "content-type": "application/json", authorization: "Bearer ABSKkey" });
  });

  it("SigV4: scoped to the date, region and bedrock; token header for temporary credentials; no Host", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-03-04T05:06:07Z"));
    const auth = { kind: "sigv4", accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" } as const;
    const headers = bedrockHeaders(auth, {
      method: "GET",
      url: "https://bedrock.eu-west-1.amazonaws.com/foundation-models?byOutputModality=TEXT",
      region: "eu-west-1",
    });
    expect(headers["X-Amz-Date"]).toBe("20250304T050607Z");
    expect(headers["X-Amz-Security-Token"]).toBe("token");
    expect(headers.Authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/20250304\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=accept;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(Object.keys(headers).map((k) => k.toLowerCase())).not.toContain("host");
    expect(JSON.stringify(headers)).not.toContain("secret");
    const post = bedrockHeaders(
      { ...auth, sessionToken: undefined },
      { method: "POST", url: "https://h/model/a%3A0/converse", body: "{}", region: "us-east-1" },
    );
    expect(post).not.toHaveProperty("X-Amz-Security-Token");
    expect(post.Authorization).toMatch(/SignedHeaders=accept;content-length;content-type;host;x-amz-date,/);
  });
});

describe("a VPC endpoint over real HTTP", () => {
  let emulator: Emulator;
  let fetch: GuardedFetch;
  const vpceHost = "vpce-0a1b2c.bedrock-runtime.us-west-2.vpce.amazonaws.com";
  beforeAll(async () => {
    emulator = await startEmulator();
    // The endpoint's name resolves to the emulator, as a private DNS zone would point it inside a VPC.
    fetch = createGuardedFetch({
      allowPrivateHosts: vpceHost,
      defaultTimeoutMs: 2000,
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
  });
  afterAll(async () => {
    await fetch.close();
    await emulator.close();
  });

  it("skips ListFoundationModels, signs for the host's region, and Converse decides", async () => {
    const adapter = createBedrockAdapter({ fetch, requestTimeoutMs: 2000 });
    const accessKeyId = emulatorKey("valid", "AKIA");
    const config = {
      provider: "bedrock" as const,
      apiHost: `http://${vpceHost}:${emulator.port}/bedrock`,
      model: "amazon.nova-lite-v1:0",
      secrets: { accessKeyId, secretAccessKey: emulatorSecret(accessKeyId) },
      extra: { region: "us-east-1" },
    };
    const result = await adapter.validate(config, { signal: new AbortController().signal });
    expect(result).toMatchObject({ outcome: "valid", step: "invocation", host: vpceHost });
    expect(result.models).toBeUndefined();
    const requests = emulator.requests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /bedrock/model/amazon.nova-lite-v1%3A0/converse"]);
    expect(requests[0]!.headers.authorization).toContain("/us-west-2/bedrock/aws4_request");
    expect(requests[0]!.headers.host).toBe(`${vpceHost}:${emulator.port}`);
    expect(await adapter.listModels(config, { signal: new AbortController().signal })).toBeNull();
    const bad = { ...config, secrets: { accessKeyId, secretAccessKey: "wrong" } };
    expect(await adapter.validate(bad, { signal: new AbortController().signal })).toMatchObject({
      outcome: "invalid_key",
      step: "invocation",
    });
  });
});
