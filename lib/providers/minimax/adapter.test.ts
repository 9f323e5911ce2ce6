/** The MiniMax adapter against the provider emulator, over real HTTP. */
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
import { getAdapter } from "../registry";
import { minimaxAdapter } from "./adapter";

const signal = () => ({ signal: new AbortController().signal });

// No key ever travels in a URL, in any request any test made.
const emu = withProviderEmulator("minimax", { keyPrefix: "sk-api-" });
const { run } = emu;
const config = (scenario: Scenario, model = "MiniMax-M2", host = emu.apiHost) => emu.keyConfig(scenario, model, host);

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/minimax\/v1/, "")}`;

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
    expect(result).toMatchObject({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 200,
      providerCode: "2049",
      providerMessage: "invalid api key",
    });
    expectNoSecret(result, cfg);
    expect(requests).toHaveLength(1);
  });

  it("bad key and bad model → invalid_key (the key is reported)", async () => {
    expect((await run(config("bad", "MiniMax-M9"))).result.outcome).toBe("invalid_key");
  });

  it("no key → invalid_key (1004), no Authorization header sent", async () => {
    const { result, requests } = await run({ provider: "minimax", apiHost: emu.apiHost, model: "MiniMax-M2", secrets: {}, extra: {} });
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
    expect((await run(config("error500"))).result).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
    expect((await run(config("overloaded"))).result).toMatchObject({ outcome: "provider_error", httpStatus: 529, providerCode: "2064" });
    expectRedirectNotFollowed(await run(config("redirect")));
  });

  it("huge completion → cut at the size cap, provider_error (never valid)", async () => {
    const { result } = await run(config("huge"));
    expect(result).toMatchObject({ outcome: "provider_error", httpStatus: 200 });
    expect(result.providerMessage).toMatch(/size limit/);
  });

  it("wrong API Host path → provider_error with MiniMax's plain-text 404", async () => {
    const { result } = await run(config("valid", "MiniMax-M2", `${emu.emulator.url}/minimax/v2`));
    expect(result).toMatchObject({ outcome: "provider_error", httpStatus: 404, providerMessage: "404 page not found" });
  });

  it("normalises the API Host: trailing slashes, a pasted endpoint, a doubled /v1", async () => {
    for (const host of [`${emu.apiHost}/`, `${emu.apiHost}/chat/completions`, `${emu.apiHost}/v1//`]) {
      const { result, requests } = await run(config("valid", "MiniMax-M2", host));
      expect(result.outcome, host).toBe("valid");
      expect(requests.map((r) => r.path)).toEqual(["/minimax/v1/chat/completions"]);
    }
  });

  it("slow provider → unreachable, timed out after the per-request timeout", async () => {
    await expectTimedOutPerRequest(() => run(config("slow")));
  });

  it("closed port → unreachable, connection refused", async () => {
    await expectRefused((port) => run(config("valid", "MiniMax-M2", `http://127.0.0.1:${port}/v1`)));
  });
});

describe("MiniMax listModels and checkTools", () => {
  it("listModels → null (no list endpoint), no request", async () => {
    const before = emu.emulator.requests().length;
    expect(await minimaxAdapter.listModels(config("valid"), signal())).toBeNull();
    expect(emu.emulator.requests().length).toBe(before);
  });

  it("checkTools: a valid key → supported, one chat with one tool and a small budget", async () => {
    const before = emu.emulator.requests().length;
    expect(await minimaxAdapter.checkTools(config("valid"), signal())).toBe("supported");
    const requests = emu.emulator.requests().slice(before);
    expect(requests.map(route)).toEqual(["POST /chat/completions"]);
    const body = JSON.parse(requests[0]!.body) as {
      tools: { type: string; function: { name: string } }[];
      max_tokens: number;
      tool_choice: string;
    };
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
