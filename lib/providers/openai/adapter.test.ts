/** The OpenAI adapter and validateCredential against the provider emulator, over real HTTP. */
import { describe, expect, it, vi } from "vitest";

// Before any import reads env: reach the emulator on loopback, and keep timeouts short.
await vi.hoisted(() => import("@/test/provider-env"));

import type { RecordedRequest } from "@/e2e/emulator";
import {
  expectNoSecret,
  expectRedirectNotFollowed,
  expectRefused,
  expectTimedOutPerRequest,
  withProviderEmulator,
  type Scenario,
} from "@/test/provider-kit";
import type { ProviderAdapter, ProviderId, ValidationResult } from "../types";
import { validateCredential } from "../validate";
import { openaiAdapter } from "./adapter";

// No key ever travels in a URL, in any request any test made.
const emu = withProviderEmulator("openai");
const { run } = emu;
const config = (scenario: Scenario, model = "gpt-4o", host = emu.apiHost) => emu.keyConfig(scenario, model, host);

/** An adapter whose validate is `validate`; the other methods are inert. */
function fakeAdapter(validate: ProviderAdapter["validate"]): ProviderAdapter {
  return { validate, listModels: async () => null, checkTools: async () => "unknown" };
}

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/openai\/v1/, "")}`;

describe("OpenAI validation against the emulator", () => {
  it("valid key and model → valid, key → invocation with max_tokens 1, models listed", async () => {
    const cfg = config("valid");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(result.models).toEqual(["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini"]);
    expect(requests.map(route)).toEqual(["GET /models", "POST /chat/completions"]);
    const body = JSON.parse(requests[1]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ model: "gpt-4o", max_tokens: 1 });
    expect(body.messages).toHaveLength(1);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
  });

  it("a model that wants max_completion_tokens is retried once with it", async () => {
    const { result, requests } = await run(config("valid", "o3-mini"));
    expect(result.outcome).toBe("valid");
    const bodies = requests.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toMatchObject({ max_tokens: 1 });
    expect(bodies[1]).toMatchObject({ max_completion_tokens: 1 });
    expect(bodies[1]).not.toHaveProperty("max_tokens");
  });

  it("bad key → invalid_key at the key step, the key nowhere in the result", async () => {
    const cfg = config("bad");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 401, providerCode: "invalid_api_key" });
    expect(result.providerMessage).toMatch(/^Incorrect API key provided/);
    expectNoSecret(result, cfg);
    expect(requests.map(route)).toEqual(["GET /models"]);
  });

  it("bad key and bad model → invalid_key (the key is checked first)", async () => {
    const { result } = await run(config("bad", "gpt-5x"));
    expect(result.outcome).toBe("invalid_key");
  });

  it("no key → invalid_key", async () => {
    const { result } = await run({ provider: "openai", apiHost: emu.apiHost, model: "gpt-4o", secrets: {}, extra: {} });
    expect(result).toMatchObject({ outcome: "invalid_key", httpStatus: 401 });
    expect(result.providerMessage).toMatch(/^You didn't provide an API key/);
  });

  it("bad model → invalid_model at the model step, no tokens spent", async () => {
    const { result, requests } = await run(config("valid", "gpt-5x"));
    expect(result).toMatchObject({ outcome: "invalid_model", step: "model", httpStatus: 404, providerCode: "model_not_found" });
    expect(result.models).toContain("gpt-4o");
    expect(requests.map(route)).toEqual(["GET /models", "GET /models/gpt-5x"]);
  });

  it("quota → quota_exceeded; ratelimit → rate_limited", async () => {
    expect((await run(config("quota"))).result).toMatchObject({ outcome: "quota_exceeded", step: "invocation", httpStatus: 429 });
    expect((await run(config("ratelimit"))).result).toMatchObject({
      outcome: "rate_limited",
      step: "invocation",
      httpStatus: 429,
      providerCode: "rate_limit_exceeded",
    });
  });

  it("error500 (HTML) and overloaded → provider_error with the status", async () => {
    expect((await run(config("error500"))).result).toMatchObject({ outcome: "provider_error", step: "key", httpStatus: 500 });
    expect((await run(config("overloaded"))).result).toMatchObject({ outcome: "provider_error", httpStatus: 503 });
  });

  it("redirect → provider_error, not followed", async () => {
    expectRedirectNotFollowed(await run(config("redirect")));
  });

  it("huge model list → cut at 1 MiB, the key still proven, validation completes", async () => {
    const { result, requests } = await run(config("huge"));
    expect(result).toMatchObject({ outcome: "valid", step: "invocation" });
    expect(result.models?.slice(0, 5)).toEqual(["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini"]);
    expect(result.models!.length).toBeLessThanOrEqual(500);
    expect(requests.map(route)).toEqual(["GET /models", "POST /chat/completions"]);
  });

  it("slow provider → unreachable, timed out after the per-request timeout", async () => {
    await expectTimedOutPerRequest(() => run(config("slow")));
  });

  it("slow provider → unreachable, timed out after the overall deadline", async () => {
    const started = Date.now();
    const { result } = await run(config("slow"), { timeoutMs: 200 });
    expect(result).toMatchObject({ outcome: "unreachable", reason: "timed out after 0.2 s", host: "127.0.0.1" });
    expect(Date.now() - started).toBeLessThan(450);
  });

  it("closed port → unreachable, connection refused", async () => {
    await expectRefused((port) => run(config("valid", "gpt-4o", `http://127.0.0.1:${port}/v1`)));
  });

  it("a private address not allow-listed → unreachable with the guard's reason", async () => {
    const { result } = await run(config("valid", "gpt-4o", "https://10.0.0.1/v1"));
    expect(result).toMatchObject({ outcome: "unreachable", host: "10.0.0.1" });
    expect(result.reason).toBeTruthy();
  });

  it("normalises the API Host: trailing slashes and a doubled /v1", async () => {
    for (const host of [`${emu.apiHost}/`, `${emu.apiHost}/v1//`]) {
      const { result, requests } = await run(config("valid", "gpt-4o", host));
      expect(result.outcome).toBe("valid");
      for (const r of requests) expect(r.path).toMatch(/^\/openai\/v1\/(models|chat\/completions)$/);
    }
  });
});

describe("validateCredential", () => {
  it("calls the adapter with the overall signal", async () => {
    const cfg = config("valid");
    const result = await openaiAdapter.validate(cfg, { signal: new AbortController().signal });
    expect(result.outcome).toBe("valid");
  });

  it("a provider without an adapter → provider_error, no request", async () => {
    const before = emu.emulator.requests().length;
    // Every real provider gets an adapter: an id outside the catalog stands in for one without.
    const provider = "not-a-provider" as ProviderId;
    const result = await validateCredential({
      provider,
      apiHost: "https://api.example.com/v1",
      model: "m",
      secrets: { apiKey: "sk-x" },
      extra: {},
    });
    expect(result).toMatchObject({ outcome: "provider_error", host: "api.example.com" });
    expect(emu.emulator.requests().length).toBe(before);
  });

  it("an adapter that throws → provider_error, logged without the key", async () => {
    const cfg = config("valid");
    const key = cfg.secrets.apiKey!;
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const result = await validateCredential(cfg, {
        adapter: fakeAdapter(() => Promise.reject(new Error(`boom with ${key}`))),
      });
      expect(result).toMatchObject({ outcome: "provider_error", host: "127.0.0.1" });
      const lines = logged.mock.calls.flat().join("\n");
      expect(lines).toContain("boom");
      expect(lines).not.toContain(key);
    } finally {
      logged.mockRestore();
    }
  });

  it("an adapter that ignores the deadline is cut off anyway", async () => {
    const started = Date.now();
    const result = await validateCredential(config("valid"), {
      timeoutMs: 100,
      adapter: fakeAdapter(() => new Promise<ValidationResult>(() => undefined)),
    });
    expect(result).toMatchObject({ outcome: "unreachable", reason: "timed out after 0.1 s", host: "127.0.0.1" });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("scrubs secrets an adapter let through", async () => {
    const cfg = config("valid");
    const key = cfg.secrets.apiKey!;
    const result = await validateCredential(cfg, {
      adapter: fakeAdapter(async () => ({
        outcome: "provider_error",
        step: "key",
        host: "x",
        providerMessage: `echo ${key}`,
        reason: key,
      })),
    });
    expectNoSecret(result, cfg);
  });
});
