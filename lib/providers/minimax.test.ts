/** The MiniMax adapter against the provider emulator, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before any import reads env: reach the emulator on loopback, and keep timeouts short.
vi.hoisted(() => {
  process.env.ALLOW_PRIVATE_API_HOSTS = "127.0.0.1,localhost";
  process.env.PROVIDER_REQUEST_TIMEOUT_MS = "500";
  process.env.PROVIDER_VALIDATION_TIMEOUT_MS = "1500";
});

import { emulatorApiHost, emulatorKey, startEmulator, type Emulator, type RecordedRequest, type ScenarioName } from "@/e2e/emulator";
import { freePort } from "@/e2e/free-port";
import { minimaxAdapter } from "./minimax";
import { getAdapter } from "./registry";
import type { CredentialConfig, ValidationResult } from "./types";
import { validateCredential } from "./validate";

let emulator: Emulator;
let apiHost: string;
const usedKeys: string[] = [];
const signal = () => ({ signal: new AbortController().signal });

beforeAll(async () => {
  emulator = await startEmulator({ slowMs: 5000 });
  apiHost = emulatorApiHost(emulator.url, "minimax");
});
afterAll(async () => {
  // No key ever travels in a URL, in any request any test made.
  const paths = emulator.requests().map((r) => r.path);
  expect(paths.length).toBeGreaterThan(10);
  for (const key of usedKeys) for (const path of paths) expect(path).not.toContain(key);
  await emulator.close();
});

function config(scenario: ScenarioName | "valid", model = "MiniMax-M2", host = apiHost): CredentialConfig {
  const apiKey = emulatorKey(scenario, "sk-api-");
  usedKeys.push(apiKey);
  return { provider: "minimax", apiHost: host, model, secrets: { apiKey }, extra: {} };
}

async function run(cfg: CredentialConfig, options?: Parameters<typeof validateCredential>[1]) {
  const before = emulator.requests().length;
  const result = await validateCredential(cfg, options);
  return { result, requests: emulator.requests().slice(before) };
}

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/minimax\/v1/, "")}`;

function expectNoSecret(result: ValidationResult, cfg: CredentialConfig) {
  const text = JSON.stringify(result);
  for (const secret of Object.values(cfg.secrets)) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(-10));
  }
}

describe("MiniMax validation against the emulator", () => {
  it("is registered", () => {
    expect(getAdapter("minimax")).toBe(minimaxAdapter);
  });

  it("valid key and model → valid with ONE request: a 1-token chat, Bearer auth", async () => {
    const cfg = config("valid");
    const { result, requests } = await run(cfg);
    expect(result).toEqual({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(requests.map(route)).toEqual(["POST /chat/completions"]);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${cfg.secrets.apiKey}`);
    const body = JSON.parse(requests[0]!.body) as Record<string, unknown>;
    expect(body).toEqual({ model: "MiniMax-M2", messages: [{ role: "user", content: "Reply with one word: ok" }], max_tokens: 1 });
  });

  it("bad key → invalid_key (HTTP 200, base_resp 2049), the key nowhere in the result", async () => {
    const cfg = config("bad");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 200, providerCode: "2049", providerMessage: "invalid api key" });
    expectNoSecret(result, cfg);
    expect(requests).toHaveLength(1);
  });

  it("bad key and bad model → invalid_key (the key is reported)", async () => {
    expect((await run(config("bad", "MiniMax-M9"))).result.outcome).toBe("invalid_key");
  });

  it("no key → invalid_key (1004), no Authorization header sent", async () => {
    const { result, requests } = await run({ provider: "minimax", apiHost, model: "MiniMax-M2", secrets: {}, extra: {} });
    expect(result).toMatchObject({ outcome: "invalid_key", providerCode: "1004" });
    expect(requests[0]!.headers.authorization).toBeUndefined();
  });

  it("bad model → invalid_model (2013 unknown model)", async () => {
    const { result } = await run(config("valid", "MiniMax-M9"));
    expect(result).toMatchObject({ outcome: "invalid_model", step: "model", httpStatus: 200, providerCode: "2013" });
    expect(result.providerMessage).toContain("unknown model");
  });

  it("no model → invalid_model, but a bad key is still reported first", async () => {
    expect((await run(config("valid", ""))).result).toMatchObject({ outcome: "invalid_model", step: "model" });
    expect((await run(config("bad", ""))).result.outcome).toBe("invalid_key");
  });

  it("quota → quota_exceeded (1008); ratelimit → rate_limited (1002), never quota", async () => {
    expect((await run(config("quota"))).result).toMatchObject({ outcome: "quota_exceeded", step: "invocation", providerCode: "1008" });
    expect((await run(config("ratelimit"))).result).toMatchObject({ outcome: "rate_limited", step: "invocation", providerCode: "1002" });
  });

  it("error500 (HTML), overloaded (529) and redirect → provider_error with the status", async () => {
    expect((await run(config("error500"))).result).toMatchObject({ outcome: "provider_error", httpStatus: 500, providerMessage: "500 Internal Server Error" });
    expect((await run(config("overloaded"))).result).toMatchObject({ outcome: "provider_error", httpStatus: 529, providerCode: "2064" });
    const redirected = await run(config("redirect"));
    expect(redirected.result).toMatchObject({ outcome: "provider_error", httpStatus: 302 });
    expect(redirected.requests).toHaveLength(1);
  });

  it("huge completion → cut at the size cap, provider_error (never valid)", async () => {
    const { result } = await run(config("huge"));
    expect(result).toMatchObject({ outcome: "provider_error", httpStatus: 200 });
    expect(result.providerMessage).toMatch(/size limit/);
  });

  it("wrong API Host path → provider_error with MiniMax's plain-text 404", async () => {
    const { result } = await run(config("valid", "MiniMax-M2", `${emulator.url}/minimax/v2`));
    expect(result).toMatchObject({ outcome: "provider_error", httpStatus: 404, providerMessage: "404 page not found" });
  });

  it("normalises the API Host: trailing slashes, a pasted endpoint, a doubled /v1", async () => {
    for (const host of [`${apiHost}/`, `${apiHost}/chat/completions`, `${apiHost}/v1//`]) {
      const { result, requests } = await run(config("valid", "MiniMax-M2", host));
      expect(result.outcome, host).toBe("valid");
      expect(requests.map((r) => r.path)).toEqual(["/minimax/v1/chat/completions"]);
    }
  });

  it("slow provider → unreachable, timed out after the per-request timeout", async () => {
    const started = Date.now();
    const { result } = await run(config("slow"));
    expect(result).toMatchObject({ outcome: "unreachable", step: "key", reason: "timed out after 0.5 s", host: "127.0.0.1" });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("closed port → unreachable, connection refused", async () => {
    const port = await freePort();
    const { result } = await run(config("valid", "MiniMax-M2", `http://127.0.0.1:${port}/v1`));
    expect(result).toMatchObject({ outcome: "unreachable", step: "key", host: "127.0.0.1" });
    expect(result.reason).toMatch(/refused/);
  });
});

describe("MiniMax listModels and checkTools", () => {
  it("listModels → null (no list endpoint), no request", async () => {
    const before = emulator.requests().length;
    expect(await minimaxAdapter.listModels(config("valid"), signal())).toBeNull();
    expect(emulator.requests().length).toBe(before);
  });

  it("checkTools: a valid key → supported, one chat with one tool and a small budget", async () => {
    const before = emulator.requests().length;
    expect(await minimaxAdapter.checkTools(config("valid"), signal())).toBe("supported");
    const requests = emulator.requests().slice(before);
    expect(requests.map(route)).toEqual(["POST /chat/completions"]);
    const body = JSON.parse(requests[0]!.body) as { tools: { type: string; function: { name: string } }[]; max_tokens: number; tool_choice: string };
    expect(body.tools).toHaveLength(1);
    expect(body.tools[0]).toMatchObject({ type: "function", function: { name: "get_weather" } });
    expect(body.max_tokens).toBeLessThanOrEqual(64);
    expect(body.tool_choice).toBe("auto");
  });

  it("checkTools: notools → unsupported; failures → unknown", async () => {
    expect(await minimaxAdapter.checkTools(config("notools"), signal())).toBe("unsupported");
    for (const scenario of ["bad", "quota", "error500", "slow"] as const) {
      expect(await minimaxAdapter.checkTools(config(scenario), signal()), scenario).toBe("unknown");
    }
    expect(await minimaxAdapter.checkTools(config("valid", "MiniMax-M9"), signal())).toBe("unknown");
  });
});
