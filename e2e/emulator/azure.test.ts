/** Azure OpenAI emulation over real HTTP: api-key auth, api-version, deployments, the v1 form. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { call, errorOf, type CallOptions } from "./test-client";

let emulator: Emulator;
let host: string;
const V = "api-version=2024-10-21";
const withKey = (key: string, options: CallOptions = {}): CallOptions => ({ ...options, headers: { "api-key": key, ...options.headers } });
const deploymentChat = (key: string, deployment: string, body: unknown, version = V) =>
  call(host, `/openai/deployments/${deployment}/chat/completions?${version}`, withKey(key, { body }));
const probe = (extra: Record<string, unknown> = {}) => ({ max_tokens: 1, messages: [{ role: "user", content: "hi" }], ...extra });
const TOOLS = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
  host = emulatorApiHost(emulator.url, "azure");
});
afterAll(() => emulator.close());

describe("azure keys", () => {
  it("is mounted at /azure; the API Host is the resource endpoint", () => {
    expect(host).toBe(`${emulator.url}/azure`);
  });

  it("401s a missing or bad key before looking at the path or api-version", async () => {
    const missing = await call(host, `/openai/deployments/nope/chat/completions`, { body: probe() });
    expect(missing.status).toBe(401);
    expect(errorOf(missing)).toEqual({ code: "401", message: expect.stringMatching(/^Access denied due to missing subscription key/) });
    const bad = await deploymentChat("k-bad-1", "nope", probe(), "api-version=1999-01-01");
    expect(bad.status).toBe(401);
    expect(errorOf(bad).message).toMatch(/^Access denied due to invalid subscription key or wrong API endpoint\./);
  });

  it("reads Bearer as an Entra token on classic routes (an API key there is a 401); v1 accepts it", async () => {
    const classic = await call(host, `/openai/deployments/my-gpt4o/chat/completions?${V}`, { key: "k-valid", body: probe() });
    expect(classic.status).toBe(401);
    expect(errorOf(classic).message).toMatch(/Access token is missing/);
    const v1 = await call(host, "/openai/v1/chat/completions", { key: "k-valid", body: probe({ model: "my-gpt4o" }) });
    expect(v1.status).toBe(200);
  });
});

describe("azure classic routes", () => {
  it("chat on a deployment → the deployment's model, with content filter results", async () => {
    const res = await deploymentChat("k-valid", "my-gpt4o", probe());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      object: "chat.completion",
      model: "gpt-4o-2024-11-20",
      choices: [{ message: { content: "O" }, finish_reason: "length", content_filter_results: { hate: { filtered: false } } }],
      prompt_filter_results: [{ prompt_index: 0 }],
    });
  });

  it("missing or unsupported api-version and unknown paths → 404 Resource not found", async () => {
    for (const path of [
      "/openai/deployments/my-gpt4o/chat/completions",
      "/openai/deployments/my-gpt4o/chat/completions?api-version=2099-01-01",
      `/openai/nothing?${V}`,
    ]) {
      const res = await call(host, path, withKey("k-valid", { body: probe() }));
      expect(res.status, path).toBe(404);
      expect(errorOf(res), path).toEqual({ code: "404", message: "Resource not found" });
    }
  });

  it("unknown deployment → 404 DeploymentNotFound; an embedding deployment → 400 OperationNotSupported", async () => {
    const missing = await deploymentChat("k-valid", "gpt-4o", probe());
    expect(missing.status).toBe(404);
    expect(errorOf(missing)).toMatchObject({ code: "DeploymentNotFound" });
    const embedding = await deploymentChat("k-valid", "my-embedding", probe());
    expect(embedding.status).toBe(400);
    expect(errorOf(embedding)).toMatchObject({ code: "OperationNotSupported" });
  });

  it("o3-mini rejects max_tokens like OpenAI does", async () => {
    const res = await deploymentChat("k-valid", "my-o3-mini", probe());
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: "unsupported_parameter", param: "max_tokens" });
    expect(
      (await deploymentChat("k-valid", "my-o3-mini", { messages: [{ role: "user", content: "hi" }], max_completion_tokens: 1 })).status,
    ).toBe(200);
  });

  it("GET /openai/models lists models with capabilities; huge → over 2 MiB", async () => {
    const res = await call(host, `/openai/models?${V}`, withKey("k-valid"));
    expect(res.status).toBe(200);
    const body = res.json as { object: string; data: { id: string; capabilities: { chat_completion: boolean } }[] };
    expect(body.object).toBe("list");
    expect(body.data.map((m) => m.id)).toContain("gpt-4o-2024-11-20");
    expect(body.data.find((m) => m.id === "text-embedding-3-small")?.capabilities.chat_completion).toBe(false);
    const huge = await call(host, `/openai/models?${V}`, withKey("k-huge"));
    expect(Buffer.byteLength(huge.text)).toBeGreaterThan(2 * 1024 * 1024);
  });
});

describe("azure v1 routes and scenarios", () => {
  it("POST /openai/v1/chat/completions takes the deployment as model, no dated api-version", async () => {
    expect(
      (await call(host, "/openai/v1/chat/completions", withKey("k-valid", { body: probe({ model: "my-gpt4o-mini" }) }))).json,
    ).toMatchObject({
      model: "gpt-4o-mini-2024-07-18",
    });
    const unknown = await call(host, "/openai/v1/chat/completions", withKey("k-valid", { body: probe({ model: "nope" }) }));
    expect(errorOf(unknown)).toMatchObject({ code: "DeploymentNotFound" });
    const dated = await call(host, `/openai/v1/chat/completions?${V}`, withKey("k-valid", { body: probe({ model: "my-gpt4o" }) }));
    expect(dated.status).toBe(400);
    expect((await call(host, "/openai/v1/models", withKey("k-valid"))).status).toBe(200);
  });

  it("quota → 429 insufficient_quota; ratelimit → 429 token rate limit with retry-after", async () => {
    const quota = await deploymentChat("k-quota", "my-gpt4o", probe());
    expect(quota.status).toBe(429);
    expect(errorOf(quota)).toMatchObject({ code: "insufficient_quota" });
    const rate = await deploymentChat("k-ratelimit", "my-gpt4o", probe());
    expect(rate.status).toBe(429);
    expect(errorOf(rate)).toMatchObject({
      code: "429",
      message: expect.stringMatching(/API version 2024-10-21 have exceeded token rate limit/),
    });
    expect(rate.headers.get("retry-after")).toBe("6");
  });

  it("error500 → HTML 500, overloaded → 503, redirect → 302; slow waits", async () => {
    const html = await deploymentChat("k-error500", "my-gpt4o", probe());
    expect(html.status).toBe(500);
    expect(html.text).toContain("<title>");
    expect((await deploymentChat("k-overloaded", "my-gpt4o", probe())).status).toBe(503);
    expect((await deploymentChat("k-redirect", "my-gpt4o", probe())).status).toBe(302);
    const started = Date.now();
    expect((await deploymentChat("k-slow", "my-gpt4o", probe())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("tools → a tool call; notools → text", async () => {
    const called = await deploymentChat("k-valid", "my-gpt4o", probe({ max_tokens: 32, tools: TOOLS, tool_choice: "required" }));
    expect(called.json).toMatchObject({
      choices: [{ finish_reason: "tool_calls", message: { tool_calls: [{ function: { name: "get_weather" } }] } }],
    });
    const refused = await deploymentChat("k-notools", "my-gpt4o", probe({ max_tokens: 32, tools: TOOLS, tool_choice: "required" }));
    expect(JSON.stringify(refused.json)).not.toContain("tool_calls");
  });
});
