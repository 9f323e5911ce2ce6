/** Z.ai: its business codes classified, and the adapter against the emulator over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/free-port";
import { bodyOf, expectNoSecret, routeOf, startKit, type Kit, type KitConfigOptions, type Scenario } from "@/test/provider-kit";
import type { ProviderAdapter } from "../types";
import { classifyZai, createZaiAdapter } from "./adapter";

const err = (code: string, message: string) => JSON.stringify({ error: { code, message } });

// Bodies quoted in providers.md (Z.ai section) and Z.ai's error-code page.
const BAD_KEY = err("401", "token expired or incorrect");
const NO_KEY = err("1001", "Authentication parameter not received in Header, unable to authenticate");
const MODEL = err("1211", "Unknown Model, please check the model code.");
const BALANCE = err("1113", "Insufficient balance or no resource package. Please recharge.");
const CONCURRENCY = err(
  "1302",
  "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits",
);
const FREQUENCY = err("1303", "High frequency usage of this API, please reduce frequency or contact customer service to increase limits");
const PLAN_CAP = err("1308", "Usage limit reached for 5 hour. Your limit will reset at 2026-08-25 07:41:44");

describe("classifyZai", () => {
  it("401 / 1000-1004 → invalid_key, whatever the status", () => {
    expect(classifyZai(401, BAD_KEY, "invocation")).toMatchObject({
      outcome: "invalid_key",
      providerCode: "401",
      providerMessage: "token expired or incorrect",
    });
    expect(classifyZai(401, NO_KEY, "invocation").outcome).toBe("invalid_key");
    expect(classifyZai(400, err("1002", "Invalid Authentication Token"), "invocation").outcome).toBe("invalid_key");
    expect(classifyZai(429, err("1112", "Your account has been locked"), "invocation").outcome).toBe("invalid_key");
  });
  it("400 1211 → invalid_model", () => {
    expect(classifyZai(400, MODEL, "invocation")).toMatchObject({ outcome: "invalid_model", providerCode: "1211" });
  });
  it("429 1113 is an empty balance, not a rate limit; the plan's 1308 cap is quota too", () => {
    expect(classifyZai(429, BALANCE, "invocation")).toMatchObject({ outcome: "quota_exceeded", httpStatus: 429, providerCode: "1113" });
    expect(classifyZai(429, PLAN_CAP, "invocation").outcome).toBe("quota_exceeded");
  });
  it("1302 / 1303 → rate_limited", () => {
    expect(classifyZai(429, CONCURRENCY, "invocation").outcome).toBe("rate_limited");
    expect(classifyZai(429, FREQUENCY, "invocation").outcome).toBe("rate_limited");
  });
  it("odd bodies → provider_error with the status, never valid", () => {
    expect(classifyZai(500, err("500", "Internal Error"), "invocation")).toMatchObject({ outcome: "provider_error", httpStatus: 500 });
    expect(classifyZai(502, "<html><head><title>502 Bad Gateway</title></head></html>", "invocation")).toMatchObject({
      outcome: "provider_error",
      providerMessage: "502 Bad Gateway",
    });
    expect(classifyZai(500, "", "invocation").outcome).toBe("provider_error");
    expect(classifyZai(400, "[]", "invocation").outcome).toBe("provider_error");
    expect(classifyZai(404, JSON.stringify({ timestamp: "t", status: 404, error: "Not Found", path: "/x" }), "key").outcome).toBe(
      "provider_error",
    );
    expect(classifyZai(429, BALANCE.slice(0, 25), "invocation", { truncated: true }).outcome).toBe("rate_limited");
    expect(classifyZai(200, "{}", "invocation").outcome).toBe("provider_error");
  });
});

describe("Z.ai adapter against the emulator", () => {
  let kit: Kit;
  let adapter: ProviderAdapter;
  const root = "/zai/api/coding/paas/v4";
  const validate = (scenario: Scenario, model = "glm-4.6", extra?: KitConfigOptions) => kit.validate(adapter, scenario, model, extra);

  beforeAll(async () => {
    kit = await startKit("zai");
    adapter = createZaiAdapter({ fetch: kit.fetch, requestTimeoutMs: kit.requestTimeoutMs });
  });
  afterAll(() => kit.close());

  it("valid → one 1-token chat with thinking disabled, Bearer auth, no model list", async () => {
    const { value, requests, cfg } = await validate("valid");
    expect(value).toMatchObject({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(value.models).toBeUndefined();
    expect(requests.map((r) => routeOf(r, root))).toEqual(["POST /chat/completions"]);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
    expect(bodyOf(requests[0])).toMatchObject({ model: "glm-4.6", max_tokens: 1, thinking: { type: "disabled" } });
  });

  it("the pay-as-you-go host works the same", async () => {
    const { value, requests } = await validate("valid", "glm-4.5", {
      apiHost: kit.apiHost.replace("/api/coding/paas/v4", "/api/paas/v4/"),
    });
    expect(value.outcome).toBe("valid");
    expect(requests[0]!.path).toBe("/zai/api/paas/v4/chat/completions");
  });

  it("bad key → invalid_key from the chat call; bad key + bad model → invalid_key; no key → invalid_key", async () => {
    const { value, cfg } = await validate("bad");
    expect(value).toMatchObject({
      outcome: "invalid_key",
      httpStatus: 401,
      providerCode: "401",
      providerMessage: "token expired or incorrect",
    });
    expectNoSecret(value, cfg);
    expect((await validate("bad", "glm-x")).value.outcome).toBe("invalid_key");
    expect((await validate("valid", "glm-4.6", { apiKey: "" })).value).toMatchObject({ outcome: "invalid_key", providerCode: "1001" });
  });

  it("bad model → invalid_model (1211)", async () => {
    expect((await validate("valid", "glm-x")).value).toMatchObject({ outcome: "invalid_model", httpStatus: 400, providerCode: "1211" });
  });

  it("429 1113 → quota_exceeded; 429 1302 → rate_limited", async () => {
    expect((await validate("quota")).value).toMatchObject({ outcome: "quota_exceeded", httpStatus: 429, providerCode: "1113" });
    expect((await validate("ratelimit")).value).toMatchObject({ outcome: "rate_limited", httpStatus: 429, providerCode: "1302" });
  });

  it("HTML 500 and overloaded → provider_error; slow and closed port → unreachable", async () => {
    expect((await validate("error500")).value).toMatchObject({ outcome: "provider_error", httpStatus: 500 });
    expect((await validate("overloaded")).value).toMatchObject({ outcome: "provider_error", httpStatus: 503 });
    const slow = await validate("slow");
    expect(slow.value).toMatchObject({ outcome: "unreachable", step: "invocation" });
    expect(slow.value.reason).toMatch(/timed out/);
    const port = await freePort();
    expect((await validate("valid", "glm-4.6", { apiHost: `http://127.0.0.1:${port}/api/paas/v4` })).value.outcome).toBe("unreachable");
  });

  it("listModels: the list when /models answers one, null when it does not, throws when unreachable", async () => {
    const listed = await kit.run((o) => adapter.listModels(kit.config("valid", "x"), o));
    expect(listed.value).toEqual(["glm-4.7", "glm-4.6", "glm-4.5", "glm-4.5-air"]);
    expect(listed.requests.map((r) => routeOf(r, root))).toEqual(["GET /models"]);
    expect(
      await adapter.listModels(kit.config("valid", "x", { apiKey: "sk-nolist-KxTrWq" }), { signal: new AbortController().signal }),
    ).toBeNull();
    expect(await adapter.listModels(kit.config("bad", "x"), { signal: new AbortController().signal })).toBeNull();
    const port = await freePort();
    await expect(
      adapter.listModels(kit.config("valid", "x", { apiHost: `http://127.0.0.1:${port}/v4` }), { signal: new AbortController().signal }),
    ).rejects.toThrow();
  });

  it("checkTools: tool_choice auto with thinking disabled → supported; notools → unsupported; bad key → unknown", async () => {
    const ok = await kit.run((o) => adapter.checkTools(kit.config("valid", "glm-4.6"), o));
    expect(ok.value).toBe("supported");
    expect(ok.requests).toHaveLength(1);
    expect(bodyOf(ok.requests[0])).toMatchObject({ tool_choice: "auto", max_tokens: 32, thinking: { type: "disabled" } });
    expect((await kit.run((o) => adapter.checkTools(kit.config("notools", "glm-4.6"), o))).value).toBe("unsupported");
    expect((await kit.run((o) => adapter.checkTools(kit.config("bad", "glm-4.6"), o))).value).toBe("unknown");
  });
});
