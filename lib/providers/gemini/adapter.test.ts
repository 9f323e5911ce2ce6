/** The Gemini adapter (validate, listModels, checkTools) against the provider emulator, over real HTTP. */
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
import { bareModelId, geminiAdapter, geminiBaseUrl } from "./adapter";

const MODELS = ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash"];

const signal = () => new AbortController().signal;

// No key ever travels in a URL, and never as x-goog-api-key (Bearer only), in any request.
const emu = withProviderEmulator("gemini", {
  keyPrefix: "AIzaSy",
  checkRequest: (r) => expect(r.headers["x-goog-api-key"]).toBeUndefined(),
});
const { run, withRequests } = emu;
const config = (scenario: Scenario, model = "gemini-2.5-flash", host = emu.apiHost) => emu.keyConfig(scenario, model, host);

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/gemini\/v1beta\/openai/, "")}`;

describe("Gemini validation against the emulator", () => {
  it("valid key and model → valid: list, then a 1-token chat; Bearer only; suggestions without models/", async () => {
    const cfg = config("valid");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(result.models).toEqual(MODELS);
    expect(requests.map(route)).toEqual(["GET /models", "POST /chat/completions"]);
    for (const r of requests) expect(r.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
    expect(JSON.parse(requests[1]!.body)).toEqual({
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 1,
    });
  });

  it("accepts the models/ spelling: compared without the prefix, sent as typed", async () => {
    const { result, requests } = await run(config("valid", "models/gemini-2.5-pro"));
    expect(result.outcome).toBe("valid");
    expect(requests.map(route)).toEqual(["GET /models", "POST /chat/completions"]);
    expect(JSON.parse(requests[1]!.body)).toMatchObject({ model: "models/gemini-2.5-pro" });
  });

  it("bad key → invalid_key from Google's 400 API_KEY_INVALID, one request, the key nowhere in the result", async () => {
    const cfg = config("bad");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 400,
      providerCode: "API_KEY_INVALID",
      providerMessage: "API key not valid. Please pass a valid API key.",
    });
    expectNoSecret(result, cfg);
    expect(requests.map(route)).toEqual(["GET /models"]);
  });

  it("bad key and bad model → invalid_key (the key is checked first)", async () => {
    expect((await run(config("bad", "gemini-x"))).result.outcome).toBe("invalid_key");
  });

  it("no key → invalid_key", async () => {
    const { result } = await run({ provider: "gemini", apiHost: emu.apiHost, model: "gemini-2.5-flash", secrets: {}, extra: {} });
    expect(result).toMatchObject({ outcome: "invalid_key", httpStatus: 403, providerCode: "PERMISSION_DENIED" });
  });

  it("bad model → invalid_model at the model step (404 NOT_FOUND), looked up without the prefix", async () => {
    const { result, requests } = await run(config("valid", "models/gemini-x"));
    expect(result).toMatchObject({ outcome: "invalid_model", step: "model", httpStatus: 404, providerCode: "NOT_FOUND" });
    expect(result.providerMessage).toMatch(/^models\/gemini-x is not found for API version v1beta/);
    expect(result.models).toEqual(MODELS);
    expect(requests.map(route)).toEqual(["GET /models", "GET /models/gemini-x"]);
  });

  it("quota (per-day quotaId) → quota_exceeded; ratelimit (per-minute) → rate_limited, never quota", async () => {
    expect((await run(config("quota"))).result).toMatchObject({
      outcome: "quota_exceeded",
      step: "invocation",
      httpStatus: 429,
      providerCode: "RESOURCE_EXHAUSTED",
    });
    const rate = (await run(config("ratelimit"))).result;
    expect(rate).toMatchObject({ outcome: "rate_limited", step: "invocation", httpStatus: 429 });
    expect(rate.providerMessage).toMatch(/^You exceeded your current quota/);
  });

  it("error500 (HTML) and overloaded (503 UNAVAILABLE) → provider_error with the status", async () => {
    expect((await run(config("error500"))).result).toMatchObject({
      outcome: "provider_error",
      step: "key",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
    expect((await run(config("overloaded"))).result).toMatchObject({ outcome: "provider_error", httpStatus: 503 });
  });

  it("redirect → provider_error, not followed", async () => {
    expectRedirectNotFollowed(await run(config("redirect")));
  });

  it("huge model list → cut at the size cap, the key still proven, validation completes", async () => {
    const { result, requests } = await run(config("huge", "gemini-2.0-flash"));
    expect(result).toMatchObject({ outcome: "valid", step: "invocation" });
    expect(result.models?.slice(0, 4)).toEqual(MODELS);
    expect(result.models!.length).toBeLessThanOrEqual(500);
    expect(requests.map(route)).toEqual(["GET /models", "POST /chat/completions"]);
  });

  it("slow provider → unreachable, timed out after the per-request timeout", async () => {
    await expectTimedOutPerRequest(() => run(config("slow")));
  });

  it("closed port → unreachable, connection refused", async () => {
    await expectRefused((port) => run(config("valid", "gemini-2.5-flash", `http://127.0.0.1:${port}/v1beta/openai`)));
  });

  it("normalises the API Host: trailing slashes and pasted endpoints", async () => {
    for (const host of [`${emu.apiHost}/`, `${emu.apiHost}/chat/completions`, `${emu.apiHost}/models/`]) {
      const { result, requests } = await run(config("valid", "gemini-2.0-flash", host));
      expect(result.outcome).toBe("valid");
      for (const r of requests) expect(r.path).toMatch(/^\/gemini\/v1beta\/openai\/(models|chat\/completions)$/);
    }
  });
});

describe("geminiBaseUrl and bareModelId", () => {
  it("completes bare origins and versions, keeps full roots", () => {
    expect(geminiBaseUrl("https://generativelanguage.googleapis.com")).toBe("https://generativelanguage.googleapis.com/v1beta/openai");
    expect(geminiBaseUrl("https://generativelanguage.googleapis.com/v1beta/")).toBe(
      "https://generativelanguage.googleapis.com/v1beta/openai",
    );
    expect(geminiBaseUrl("https://generativelanguage.googleapis.com/v1beta/openai/")).toBe(
      "https://generativelanguage.googleapis.com/v1beta/openai",
    );
  });

  it("drops the models/ prefix only", () => {
    expect(bareModelId("models/gemini-2.5-flash")).toBe("gemini-2.5-flash");
    expect(bareModelId(" gemini-2.5-flash ")).toBe("gemini-2.5-flash");
    expect(bareModelId("tunedModels/x")).toBe("tunedModels/x");
  });
});

describe("Gemini listModels", () => {
  it("lists ids without the models/ prefix", async () => {
    expect(await geminiAdapter.listModels(config("valid"), { signal: signal() })).toEqual(MODELS);
  });

  it("throws on failure, without the key in the error", async () => {
    const cfg = config("bad");
    const error = await geminiAdapter.listModels(cfg, { signal: signal() }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/invalid_key, HTTP 400/);
    expect((error as Error).message).not.toContain(cfg.secrets.apiKey);
  });
});

describe("Gemini checkTools", () => {
  it("supported: one request with thinking off and tool_choice required", async () => {
    const { value, requests } = await withRequests(() => geminiAdapter.checkTools(config("valid"), { signal: signal() }));
    expect(value).toBe("supported");
    expect(requests.map(route)).toEqual(["POST /chat/completions"]);
    const body = JSON.parse(requests[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ model: "gemini-2.5-flash", reasoning_effort: "none", tool_choice: "required", max_tokens: 32 });
    expect(body.tools).toHaveLength(1);
  });

  it("a model that only thinks refuses reasoning_effort none: retried once without it", async () => {
    const { value, requests } = await withRequests(() => geminiAdapter.checkTools(config("valid", "gemini-2.5-pro"), { signal: signal() }));
    // The emulated thinking spends the whole small budget: no visible output, so no verdict.
    expect(value).toBe("unknown");
    const bodies = requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toHaveProperty("reasoning_effort", "none");
    expect(bodies[1]).not.toHaveProperty("reasoning_effort");
  });

  it("unsupported: a notools key answers in text", async () => {
    expect(await geminiAdapter.checkTools(config("notools"), { signal: signal() })).toBe("unsupported");
  });

  it("unknown on failure: bad key, quota, timeout, unreachable", async () => {
    const port = await freePort();
    for (const cfg of [config("bad"), config("quota"), config("slow"), config("valid", "gemini-2.5-flash", `http://127.0.0.1:${port}`)]) {
      expect(await geminiAdapter.checkTools(cfg, { signal: signal() })).toBe("unknown");
    }
  });
});
