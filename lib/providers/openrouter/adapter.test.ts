/** The OpenRouter adapter (validate, listModels, checkTools) against the provider emulator, over real HTTP. */
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
import { isListedModel, openRouterBaseUrl, openrouterAdapter } from "./adapter";

const MODELS = [
  "openai/gpt-4o-mini",
  "openai/gpt-4o",
  "openai/gpt-5",
  "anthropic/claude-sonnet-4.5",
  "google/gemini-2.5-flash",
  "deepseek/deepseek-chat",
  "meta-llama/llama-3.3-70b-instruct:free",
];

const signal = () => new AbortController().signal;

// No key ever travels in a URL, in any request any test made.
const emu = withProviderEmulator("openrouter", { keyPrefix: "sk-or-v1-" });
const { run, withRequests } = emu;
const config = (scenario: Scenario, model = "openai/gpt-4o-mini", host = emu.apiHost, prefix?: string) =>
  emu.keyConfig(scenario, model, host, prefix);

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/openrouter\/api\/v1/, "")}`;
const bodyOf = (r: RecordedRequest) => JSON.parse(r.body) as Record<string, unknown>;

describe("OpenRouter validation against the emulator", () => {
  it("valid → GET /key, then the public model list, then a 1-token chat; Bearer on each", async () => {
    const cfg = config("valid");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(result.models).toEqual(MODELS);
    expect(requests.map(route)).toEqual(["GET /key", "GET /models", "POST /chat/completions"]);
    for (const r of requests) expect(r.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
    expect(bodyOf(requests[2]!)).toEqual({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 1 });
  });

  it("the key check is GET /key: the public list answers a bad key with 200, validation still says invalid_key", async () => {
    const cfg = config("bad");
    const list = await fetch(`${emu.apiHost}/models`, { headers: { authorization: `Bearer ${cfg.secrets.apiKey}` } });
    expect(list.status).toBe(200);
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 401, providerMessage: "User not found." });
    expectNoSecret(result, cfg);
    expect(requests.map(route)).toEqual(["GET /key"]);
  });

  it("bad key and bad model → invalid_key (the key is checked first)", async () => {
    expect((await run(config("bad", "openai/gpt-5x"))).result.outcome).toBe("invalid_key");
  });

  it("no key → invalid_key", async () => {
    const { result } = await run({ provider: "openrouter", apiHost: emu.apiHost, model: "openai/gpt-4o", secrets: {}, extra: {} });
    expect(result).toMatchObject({ outcome: "invalid_key", httpStatus: 401, providerMessage: "No auth credentials found" });
  });

  it("a model not in the list → invalid_model at the model step, no chat call", async () => {
    const { result, requests } = await run(config("valid", "openai/gpt-5x"));
    expect(result).toMatchObject({ outcome: "invalid_model", step: "model", httpStatus: 200 });
    expect(result.models).toEqual(MODELS);
    expect(requests.map(route)).toEqual(["GET /key", "GET /models"]);
  });

  it("routing suffixes (:nitro) are matched on the base id and left to the chat call", async () => {
    const { result, requests } = await run(config("valid", "openai/gpt-4o:nitro"));
    expect(result.outcome).toBe("valid");
    expect(requests.map(route)).toEqual(["GET /key", "GET /models", "POST /chat/completions"]);
  });

  it("an upstream that wants more than 1 output token is retried once with its minimum", async () => {
    const { result, requests } = await run(config("valid", "openai/gpt-5"));
    expect(result.outcome).toBe("valid");
    const chats = requests.filter((r) => r.method === "POST").map(bodyOf);
    expect(chats.map((b) => b.max_tokens)).toEqual([1, 16]);
  });

  it("quota: no credits → quota_exceeded from the chat's 402; a used-up key limit → quota_exceeded from GET /key", async () => {
    expect((await run(config("quota"))).result).toMatchObject({ outcome: "quota_exceeded", step: "invocation", httpStatus: 402 });
    const { result, requests } = await run(config("quota", "openai/gpt-4o-mini", emu.apiHost, "sk-or-v1-keylimit-"));
    expect(result).toMatchObject({ outcome: "quota_exceeded", step: "key", httpStatus: 200, providerCode: "limit_remaining" });
    expect(requests.map(route)).toEqual(["GET /key"]);
  });

  it("ratelimit → rate_limited (never quota)", async () => {
    const { result } = await run(config("ratelimit"));
    expect(result).toMatchObject({ outcome: "rate_limited", step: "invocation", httpStatus: 429 });
    expect(result.providerMessage).toMatch(/temporarily rate-limited upstream/);
  });

  it("overloaded (upstream 502) and error500 (HTML) → provider_error with the status", async () => {
    expect((await run(config("overloaded"))).result).toMatchObject({ outcome: "provider_error", step: "invocation", httpStatus: 502 });
    expect((await run(config("error500"))).result).toMatchObject({
      outcome: "provider_error",
      step: "key",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
  });

  it("redirect → provider_error, not followed", async () => {
    expectRedirectNotFollowed(await run(config("redirect")));
  });

  it("huge model list → cut at 4 MiB, the model found among the complete entries, validation completes", async () => {
    const { result, requests } = await run(config("huge", "google/gemini-2.5-flash"));
    expect(result).toMatchObject({ outcome: "valid", step: "invocation" });
    expect(result.models?.slice(0, 7)).toEqual(MODELS);
    expect(result.models!.length).toBeLessThanOrEqual(1000);
    expect(requests.map(route)).toEqual(["GET /key", "GET /models", "POST /chat/completions"]);
  });

  it("slow provider → unreachable, timed out after the per-request timeout", async () => {
    await expectTimedOutPerRequest(() => run(config("slow")));
  });

  it("closed port → unreachable, connection refused", async () => {
    await expectRefused((port) => run(config("valid", "openai/gpt-4o", `http://127.0.0.1:${port}/api/v1`)));
  });

  it("normalises the API Host: trailing slashes and pasted endpoints", async () => {
    for (const host of [`${emu.apiHost}/`, `${emu.apiHost}/chat/completions`, `${emu.apiHost}/key`, `${emu.apiHost}/models/`]) {
      const { result, requests } = await run(config("valid", "openai/gpt-4o", host));
      expect(result.outcome).toBe("valid");
      for (const r of requests) expect(r.path).toMatch(/^\/openrouter\/api\/v1\/(key|models|chat\/completions)$/);
    }
  });
});

describe("openRouterBaseUrl and isListedModel", () => {
  it("completes bare origins and /api", () => {
    expect(openRouterBaseUrl("https://openrouter.ai")).toBe("https://openrouter.ai/api/v1");
    expect(openRouterBaseUrl("https://openrouter.ai/api/")).toBe("https://openrouter.ai/api/v1");
    expect(openRouterBaseUrl("https://openrouter.ai/api/v1/")).toBe("https://openrouter.ai/api/v1");
  });

  it("matches ids, canonical slugs, any case, and bases of routing suffixes", () => {
    const listed = [{ id: "openai/gpt-4o", slug: "openai/gpt-4o-2024-05-13" }, { id: "meta-llama/llama-3.3-70b-instruct:free" }];
    expect(isListedModel("openai/gpt-4o", listed)).toBe(true);
    expect(isListedModel("OpenAI/GPT-4o", listed)).toBe(true);
    expect(isListedModel("openai/gpt-4o-2024-05-13", listed)).toBe(true);
    expect(isListedModel("openai/gpt-4o:floor", listed)).toBe(true);
    expect(isListedModel("meta-llama/llama-3.3-70b-instruct:free", listed)).toBe(true);
    expect(isListedModel("meta-llama/llama-3.3-70b-instruct", listed)).toBe(false);
    expect(isListedModel("openai/gpt-5x", listed)).toBe(false);
  });
});

describe("OpenRouter listModels", () => {
  it("lists the public model ids", async () => {
    expect(await openrouterAdapter.listModels(config("valid"), { signal: signal() })).toEqual(MODELS);
  });

  it("throws on failure", async () => {
    await expect(openrouterAdapter.listModels(config("error500"), { signal: signal() })).rejects.toThrow(/HTTP 500/);
  });
});

describe("OpenRouter checkTools", () => {
  it("supported: one chat with the tool and tool_choice required", async () => {
    const { value, requests } = await withRequests(() => openrouterAdapter.checkTools(config("valid"), { signal: signal() }));
    expect(value).toBe("supported");
    expect(requests.map(route)).toEqual(["POST /chat/completions"]);
    expect(bodyOf(requests[0]!)).toMatchObject({ model: "openai/gpt-4o-mini", tool_choice: "required", max_tokens: 32 });
  });

  it("a forced tool_choice refused with a 404 is retried once with auto", async () => {
    const { value, requests } = await withRequests(() =>
      openrouterAdapter.checkTools(config("valid", "deepseek/deepseek-chat"), { signal: signal() }),
    );
    expect(value).toBe("supported");
    expect(requests.map((r) => bodyOf(r).tool_choice)).toEqual(["required", "auto"]);
  });

  it("unsupported: no endpoint supports tool use (a notools key, or a model without tools)", async () => {
    expect(await openrouterAdapter.checkTools(config("notools"), { signal: signal() })).toBe("unsupported");
    expect(await openrouterAdapter.checkTools(config("valid", "meta-llama/llama-3.3-70b-instruct:free"), { signal: signal() })).toBe(
      "unsupported",
    );
  });

  it("unknown on failure: bad key, quota, timeout", async () => {
    for (const cfg of [config("bad"), config("quota"), config("slow")]) {
      expect(await openrouterAdapter.checkTools(cfg, { signal: signal() })).toBe("unknown");
    }
  });
});
