/** Z.ai emulation over real HTTP: both hosts, Z.ai's envelope and business codes, tools, the request log. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { call, errorOf } from "./test-client";

let emulator: Emulator;
let host: string;
const probe = (model = "glm-4.6", extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 1,
  messages: [{ role: "user", content: "hi" }],
  thinking: { type: "disabled" },
  ...extra,
});
const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  host = emulatorApiHost(emulator.url, "zai");
});
afterAll(() => emulator.close());

describe("zai", () => {
  it("serves the Coding Plan and pay-as-you-go roots", async () => {
    expect(host).toBe(`${emulator.url}/zai/api/coding/paas/v4`);
    for (const base of [host, `${emulator.url}/zai/api/paas/v4`]) {
      const chat = await call(base, "/chat/completions", { key: "sk-valid", body: probe() });
      expect(chat.status).toBe(200);
      expect(chat.json).toMatchObject({ model: "glm-4.6", choices: [{ message: { content: "O" }, finish_reason: "length" }] });
      const list = await call(base, "/models", { key: "sk-valid" });
      expect((list.json as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(["glm-4.7", "glm-4.6", "glm-4.5", "glm-4.5-air"]);
    }
  });

  it("answers in Z.ai's envelope: string codes, no type", async () => {
    const missing = await call(host, "/chat/completions", { body: probe() });
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({
      error: { code: "1001", message: expect.stringMatching(/^Authentication parameter not received/) as unknown },
    });
    const bad = await call(host, "/chat/completions", { key: "sk-bad-0123456789", body: probe() });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ error: { code: "401", message: "token expired or incorrect" } });
    expect(bad.text).not.toContain("0123456789");
    const model = await call(host, "/chat/completions", { key: "sk-valid", body: probe("glm-x") });
    expect(model.status).toBe(400);
    expect(errorOf(model)).toEqual({ code: "1211", message: "Unknown Model, please check the model code." });
  });

  it("429 1113 for an empty balance, 429 1302 for a rate limit", async () => {
    const quota = await call(host, "/chat/completions", { key: "sk-quota", body: probe() });
    expect(quota.status).toBe(429);
    expect(errorOf(quota)).toMatchObject({ code: "1113" });
    const rate = await call(host, "/chat/completions", { key: "sk-ratelimit", body: probe() });
    expect(rate.status).toBe(429);
    expect(errorOf(rate)).toMatchObject({ code: "1302" });
  });

  it("no /models for nolist keys; unknown paths in the gateway's shape; infrastructure scenarios", async () => {
    expect((await call(host, "/models", { key: "sk-nolist-1" })).status).toBe(404);
    const path = await call(host, "/nope", { key: "sk-valid" });
    expect(path.json).toMatchObject({ status: 404, error: "Not Found", path: "/api/coding/paas/v4/nope" });
    expect((await call(host, "/models", { key: "error500" })).status).toBe(500);
    expect((await call(host, "/models", { key: "overloaded" })).status).toBe(503);
    expect((await call(host, "/models", { key: "redirect" })).status).toBe(302);
  });

  it("tools: auto is called, required refused with 1214, notools answers without a call", async () => {
    const auto = await call(host, "/chat/completions", {
      key: "sk-valid",
      body: probe("glm-4.6", { tools, tool_choice: "auto", max_tokens: 32 }),
    });
    expect(auto.json).toMatchObject({
      choices: [{ message: { tool_calls: [{ function: { name: "get_weather" } }] }, finish_reason: "tool_calls" }],
    });
    const required = await call(host, "/chat/completions", { key: "sk-valid", body: probe("glm-4.6", { tools, tool_choice: "required" }) });
    expect(required.status).toBe(400);
    expect(errorOf(required)).toMatchObject({ code: "1214" });
    expect(errorOf(required).message).toMatch(/tool_choice/);
    const none = await call(host, "/chat/completions", {
      key: "sk-notools",
      body: probe("glm-4.6", { tools, tool_choice: "auto", max_tokens: 32 }),
    });
    expect(none.json).toMatchObject({ choices: [{ message: { content: "OK. This is the emulator." } }] });
  });

  it("keeps the body in the request log, so tests can see thinking disabled", async () => {
    emulator.clear();
    await call(host, "/chat/completions", { key: "sk-valid", body: probe() });
    const [logged] = emulator.requests();
    expect(logged).toMatchObject({ provider: "zai", method: "POST", path: "/zai/api/coding/paas/v4/chat/completions" });
    expect(JSON.parse(logged!.body)).toMatchObject({ thinking: { type: "disabled" } });
  });
});
