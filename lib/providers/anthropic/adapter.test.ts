/** The Anthropic adapter (validate, listModels, checkTools) against the provider emulator, over real HTTP. */
import { describe, expect, it, vi } from "vitest";

// Before any import reads env: reach the emulator on loopback, and keep timeouts short.
await vi.hoisted(() => import("@/test/provider-env"));

import type { RecordedRequest } from "@/e2e/emulator";
import { freePort } from "@/e2e/free-port";
import {
  expectNoSecret,
  expectRedirectNotFollowed,
  expectRefused,
  expectTimedOutPerRequest,
  withProviderEmulator,
  type Scenario,
} from "@/test/provider-kit";
import { anthropicAdapter, anthropicBaseUrl, createAnthropicAdapter } from "./adapter";

const MODELS = [
  "claude-haiku-4-5-20251001",
  "claude-sonnet-4-5-20250929",
  "claude-opus-4-1-20250805",
  "claude-sonnet-4-20250514",
  "claude-3-5-haiku-20241022",
];

const signal = () => new AbortController().signal;

// No key ever travels in a URL or a Bearer header, in any request any test made.
const emu = withProviderEmulator("anthropic", {
  keyPrefix: "sk-ant-api03-",
  checkRequest: (r, keys) => {
    for (const key of keys) expect(r.headers.authorization ?? "").not.toContain(key);
  },
});
const { run, withRequests } = emu;
const config = (scenario: Scenario, model = "claude-sonnet-4-5", host = emu.apiHost) => emu.keyConfig(scenario, model, host);

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/anthropic/, "")}`;

describe("Anthropic validation against the emulator", () => {
  it("valid key and alias → valid: list, model by id, 1-token message; x-api-key + anthropic-version, never Bearer", async () => {
    const cfg = config("valid");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(result.models).toEqual(MODELS);
    expect(requests.map(route)).toEqual(["GET /v1/models?limit=1000", "GET /v1/models/claude-sonnet-4-5", "POST /v1/messages"]);
    for (const r of requests) {
      expect(r.headers["x-api-key"]).toBe(cfg.secrets.apiKey);
      expect(r.headers["anthropic-version"]).toBe("2023-06-01");
      expect(r.headers.authorization).toBeUndefined();
    }
    expect(JSON.parse(requests[2]!.body)).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 1,
      messages: [{ role: "user", content: "hi" }],
    });
  });

  it("a listed model id skips the model lookup", async () => {
    const { result, requests } = await run(config("valid", "claude-haiku-4-5-20251001"));
    expect(result.outcome).toBe("valid");
    expect(requests.map(route)).toEqual(["GET /v1/models?limit=1000", "POST /v1/messages"]);
  });

  it("bad key → invalid_key at the key step, one request, the key nowhere in the result", async () => {
    const cfg = config("bad");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 401,
      providerCode: "authentication_error",
      providerMessage: "invalid x-api-key",
    });
    expectNoSecret(result, cfg);
    expect(requests.map(route)).toEqual(["GET /v1/models?limit=1000"]);
  });

  it("bad key and bad model → invalid_key (the key is checked first)", async () => {
    expect((await run(config("bad", "claude-x"))).result.outcome).toBe("invalid_key");
  });

  it("no key → invalid_key", async () => {
    const { result } = await run({ provider: "anthropic", apiHost: emu.apiHost, model: "claude-sonnet-4-5", secrets: {}, extra: {} });
    expect(result).toMatchObject({ outcome: "invalid_key", httpStatus: 401, providerMessage: "x-api-key header is required" });
  });

  it("bad model → invalid_model at the model step (404 not_found_error), no tokens spent", async () => {
    const { result, requests } = await run(config("valid", "claude-x"));
    expect(result).toMatchObject({
      outcome: "invalid_model",
      step: "model",
      httpStatus: 404,
      providerCode: "not_found_error",
      providerMessage: "model: claude-x",
    });
    expect(result.models).toEqual(MODELS);
    expect(requests.map(route)).toEqual(["GET /v1/models?limit=1000", "GET /v1/models/claude-x"]);
  });

  it("quota → quota_exceeded from a 400; ratelimit → rate_limited, never quota", async () => {
    const quota = (await run(config("quota"))).result;
    expect(quota).toMatchObject({ outcome: "quota_exceeded", step: "invocation", httpStatus: 400, providerCode: "invalid_request_error" });
    expect(quota.providerMessage).toMatch(/^Your credit balance is too low/);
    expect((await run(config("ratelimit"))).result).toMatchObject({
      outcome: "rate_limited",
      step: "invocation",
      httpStatus: 429,
      providerCode: "rate_limit_error",
    });
  });

  it("error500 (HTML) and overloaded (529) → provider_error with the status", async () => {
    expect((await run(config("error500"))).result).toMatchObject({
      outcome: "provider_error",
      step: "key",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
    // (providerCode is masked here: the key itself contains "overloaded", and runs of a key are redacted.)
    expect((await run(config("overloaded"))).result).toMatchObject({ outcome: "provider_error", httpStatus: 529 });
  });

  it("redirect → provider_error, not followed", async () => {
    expectRedirectNotFollowed(await run(config("redirect")));
  });

  it("huge model list → cut at the size cap, the key still proven, validation completes", async () => {
    const { result, requests } = await run(config("huge", "claude-haiku-4-5"));
    expect(result).toMatchObject({ outcome: "valid", step: "invocation" });
    expect(result.models?.slice(0, 5)).toEqual(MODELS);
    expect(result.models!.length).toBeLessThanOrEqual(500);
    expect(requests.map(route)).toEqual(["GET /v1/models?limit=1000", "GET /v1/models/claude-haiku-4-5", "POST /v1/messages"]);
  });

  it("slow provider → unreachable, timed out after the per-request timeout", async () => {
    await expectTimedOutPerRequest(() => run(config("slow")));
  });

  it("closed port → unreachable, connection refused", async () => {
    await expectRefused((port) => run(config("valid", "claude-sonnet-4-5", `http://127.0.0.1:${port}`)));
  });

  it("accepts API Hosts with and without /v1 (and pasted endpoints), never /v1/v1", async () => {
    for (const host of [
      `${emu.apiHost}/`,
      `${emu.apiHost}/v1`,
      `${emu.apiHost}/v1/`,
      `${emu.apiHost}/v1/messages`,
      `${emu.apiHost}/v1/v1`,
    ]) {
      const { result, requests } = await run(config("valid", "claude-opus-4-1-20250805", host));
      expect(result.outcome).toBe("valid");
      for (const r of requests) expect(r.path).toMatch(/^\/anthropic\/v1\/(models\?limit=1000|messages)$/);
    }
  });
});

describe("anthropicBaseUrl", () => {
  it("strips /v1, endpoints, slashes and queries", () => {
    expect(anthropicBaseUrl("https://api.anthropic.com")).toBe("https://api.anthropic.com");
    expect(anthropicBaseUrl(" https://api.anthropic.com/v1/ ")).toBe("https://api.anthropic.com");
    expect(anthropicBaseUrl("https://api.anthropic.com/v1/messages?beta=true")).toBe("https://api.anthropic.com");
    expect(anthropicBaseUrl("https://proxy.example.com/anthropic/v1/models/claude-x")).toBe("https://proxy.example.com/anthropic");
    expect(anthropicBaseUrl("not a url/")).toBe("not a url");
  });
});

describe("Anthropic listModels", () => {
  it("lists the model ids", async () => {
    expect(await anthropicAdapter.listModels(config("valid"), { signal: signal() })).toEqual(MODELS);
  });

  it("follows has_more with after_id", async () => {
    const paged = createAnthropicAdapter({ pageSize: 2 });
    const { value, requests } = await withRequests(() => paged.listModels(config("valid"), { signal: signal() }));
    expect(value).toEqual(MODELS);
    expect(requests.map(route)).toEqual([
      "GET /v1/models?limit=2",
      "GET /v1/models?limit=2&after_id=claude-sonnet-4-5-20250929",
      "GET /v1/models?limit=2&after_id=claude-sonnet-4-20250514",
    ]);
  });

  it("throws on failure, without the key in the error", async () => {
    const cfg = config("bad");
    const error = await anthropicAdapter.listModels(cfg, { signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/invalid_key, HTTP 401/);
    expect((error as Error).message).not.toContain(cfg.secrets.apiKey);
    await expect(anthropicAdapter.listModels(config("slow"), { signal: signal() })).rejects.toThrow(/Could not list models/);
  });
});

describe("Anthropic checkTools", () => {
  it("supported: the model answers with a tool_use block; the request forces the one tool", async () => {
    const { value, requests } = await withRequests(() => anthropicAdapter.checkTools(config("valid"), { signal: signal() }));
    expect(value).toBe("supported");
    expect(requests.map(route)).toEqual(["POST /v1/messages"]);
    const body = JSON.parse(requests[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 32, tool_choice: { type: "tool", name: "get_weather" } });
    expect(body.tools).toEqual([
      expect.objectContaining({ name: "get_weather", input_schema: expect.objectContaining({ type: "object" }) }),
    ]);
    expect(requests[0]!.headers.authorization).toBeUndefined();
  });

  it("unsupported: a notools key answers in text", async () => {
    expect(await anthropicAdapter.checkTools(config("notools"), { signal: signal() })).toBe("unsupported");
  });

  it("unknown on failure: bad key, overloaded, timeout, unreachable, no model", async () => {
    const port = await freePort();
    for (const cfg of [
      config("bad"),
      config("overloaded"),
      config("slow"),
      config("valid", "claude-sonnet-4-5", `http://127.0.0.1:${port}`),
      config("valid", " "),
    ]) {
      expect(await anthropicAdapter.checkTools(cfg, { signal: signal() })).toBe("unknown");
    }
  });
});
