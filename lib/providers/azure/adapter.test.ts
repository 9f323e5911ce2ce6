/** The Azure OpenAI adapter against the provider emulator, over real HTTP. */
import { describe, expect, it, vi } from "vitest";

// Before any import reads env: reach the emulator on loopback, and keep timeouts short.
await vi.hoisted(() => import("@/test/provider-env"));

import { emulatorKey, type RecordedRequest } from "@/e2e/emulator";
import { freePort } from "@/e2e/free-port";
import {
  expectNoSecret,
  expectRedirectNotFollowed,
  expectTimedOutPerRequest,
  withProviderEmulator,
  type Scenario,
} from "@/test/provider-kit";
import { getAdapter } from "../registry";
import type { CredentialConfig } from "../types";
import { azureAdapter } from "./adapter";

const signal = () => ({ signal: new AbortController().signal });

// No key ever travels in a URL, in any request any test made. Its API Host is the resource endpoint.
const emu = withProviderEmulator("azure");
const { run } = emu;

type Options = { deployment?: string; apiVersion?: string; host?: string; model?: string };

function config(scenario: Scenario, options: Options = {}): CredentialConfig {
  const apiKey = emulatorKey(scenario, "");
  emu.remember(apiKey);
  const extra: Record<string, string> = { apiVersion: options.apiVersion ?? "2024-10-21" };
  if (options.deployment !== "") extra.deploymentName = options.deployment ?? "my-gpt4o";
  return { provider: "azure", apiHost: options.host ?? emu.apiHost, model: options.model ?? "gpt-4o", secrets: { apiKey }, extra };
}

const route = (r: RecordedRequest) => `${r.method} ${r.path.replace(/^\/azure/, "")}`;
const CHAT = "POST /openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21";

describe("Azure OpenAI validation against the emulator", () => {
  it("is registered", () => {
    expect(getAdapter("azure")).toBe(azureAdapter);
  });

  it("valid → ONE 1-token chat on the deployment, api-key header, never Bearer", async () => {
    const cfg = config("valid");
    const { result, requests } = await run(cfg);
    expect(result).toEqual({ outcome: "valid", step: "invocation", httpStatus: 200, host: "127.0.0.1" });
    expect(requests.map(route)).toEqual([CHAT]);
    expect(requests[0]!.headers["api-key"]).toBe(cfg.secrets.apiKey);
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(requests[0]!.body)).toEqual({ messages: [{ role: "user", content: "Reply with one word: ok" }], max_tokens: 1 });
  });

  it("bad key → invalid_key (401), the key nowhere in the result", async () => {
    const cfg = config("bad");
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "invalid_key", step: "key", httpStatus: 401, providerCode: "401" });
    expect(result.providerMessage).toMatch(/^Access denied due to invalid subscription key/);
    expectNoSecret(result, cfg);
    expect(requests).toHaveLength(1);
  });

  it("bad key and bad deployment (or bad api-version) → invalid_key: the key is checked first", async () => {
    expect((await run(config("bad", { deployment: "nope" }))).result.outcome).toBe("invalid_key");
    expect((await run(config("bad", { apiVersion: "1999-01-01" }))).result.outcome).toBe("invalid_key");
  });

  it("no key → invalid_key, no api-key header sent", async () => {
    const cfg = { ...config("valid"), secrets: {} };
    const { result, requests } = await run(cfg);
    expect(result).toMatchObject({ outcome: "invalid_key", httpStatus: 401 });
    expect(result.providerMessage).toMatch(/missing subscription key/);
    expect(requests[0]!.headers["api-key"]).toBeUndefined();
  });

  it("unknown deployment → invalid_model (DeploymentNotFound)", async () => {
    const { result } = await run(config("valid", { deployment: "gpt-4o" }));
    expect(result).toMatchObject({ outcome: "invalid_model", step: "model", httpStatus: 404, providerCode: "DeploymentNotFound" });
  });

  it("a deployment of a non-chat model → invalid_model (OperationNotSupported)", async () => {
    expect((await run(config("valid", { deployment: "my-embedding" }))).result).toMatchObject({
      outcome: "invalid_model",
      httpStatus: 400,
    });
  });

  it("unsupported api-version → provider_error 'Resource not found' with a hint, not invalid_model", async () => {
    const { result } = await run(config("valid", { apiVersion: "2023-99-99" }));
    expect(result).toMatchObject({ outcome: "provider_error", step: "key", httpStatus: 404, providerCode: "404" });
    expect(result.providerMessage).toMatch(/^Resource not found: check the API Version \("2023-99-99"\)/);
  });

  it("an o-series deployment is retried once with max_completion_tokens", async () => {
    const { result, requests } = await run(config("valid", { deployment: "my-o3-mini" }));
    expect(result.outcome).toBe("valid");
    const bodies = requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.map((b) => Object.keys(b).filter((k) => k.startsWith("max")))).toEqual([["max_tokens"], ["max_completion_tokens"]]);
  });

  it("no Deployment Name (classic) → key checked on the model list, then invalid_model", async () => {
    const good = await run(config("valid", { deployment: "" }));
    expect(good.result).toMatchObject({ outcome: "invalid_model", step: "model" });
    expect(good.result.providerMessage).toMatch(/^No Deployment Name/);
    expect(good.requests.map(route)).toEqual(["GET /openai/models?api-version=2024-10-21"]);
    expect((await run(config("bad", { deployment: "" }))).result.outcome).toBe("invalid_key");
  });

  it("v1 form: POST /openai/v1/chat/completions, the deployment as model, no api-version", async () => {
    const { result, requests } = await run(config("valid", { host: `${emu.apiHost}/openai/v1/` }));
    expect(result.outcome).toBe("valid");
    expect(requests.map(route)).toEqual(["POST /openai/v1/chat/completions"]);
    expect(JSON.parse(requests[0]!.body)).toMatchObject({ model: "my-gpt4o", max_tokens: 1 });
    // Without a Deployment Name, Model Type is sent as the deployment.
    const byModel = await run(config("valid", { host: `${emu.apiHost}/openai/v1`, deployment: "", model: "my-gpt4o-mini" }));
    expect(byModel.result.outcome).toBe("valid");
    expect(JSON.parse(byModel.requests[0]!.body)).toMatchObject({ model: "my-gpt4o-mini" });
    expect((await run(config("valid", { host: `${emu.apiHost}/openai/v1`, deployment: "nope" }))).result.outcome).toBe("invalid_model");
  });

  it("a pasted Target URI works as the API Host", async () => {
    const pasted = `${emu.apiHost}/openai/deployments/my-gpt4o-mini/chat/completions?api-version=2024-06-01`;
    const { result, requests } = await run({ ...config("valid", { deployment: "" }), extra: {}, apiHost: pasted });
    expect(result.outcome).toBe("valid");
    expect(requests.map(route)).toEqual(["POST /openai/deployments/my-gpt4o-mini/chat/completions?api-version=2024-06-01"]);
  });

  it("quota → quota_exceeded; ratelimit → rate_limited (never quota)", async () => {
    expect((await run(config("quota"))).result).toMatchObject({ outcome: "quota_exceeded", step: "invocation", httpStatus: 429 });
    const rate = (await run(config("ratelimit"))).result;
    expect(rate).toMatchObject({ outcome: "rate_limited", step: "invocation", httpStatus: 429, providerCode: "429" });
    expect(rate.providerMessage).toMatch(/exceeded token rate limit/);
  });

  it("error500 (HTML), overloaded (503) and redirect → provider_error with the status", async () => {
    expect((await run(config("error500"))).result).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
    expect((await run(config("overloaded"))).result).toMatchObject({ outcome: "provider_error", httpStatus: 503 });
    expectRedirectNotFollowed(await run(config("redirect")));
  });

  it("slow → unreachable after the per-request timeout; closed port → refused; no host → unreachable", async () => {
    await expectTimedOutPerRequest(() => run(config("slow")));
    const port = await freePort();
    const refused = (await run(config("valid", { host: `http://127.0.0.1:${port}` }))).result;
    expect(refused).toMatchObject({ outcome: "unreachable", host: "127.0.0.1" });
    expect(refused.reason).toMatch(/refused/);
    expect((await run(config("valid", { host: "" }))).result).toMatchObject({
      outcome: "unreachable",
      reason: expect.stringMatching(/^No API Host/),
    });
  });
});

describe("Azure OpenAI listModels and checkTools", () => {
  it("listModels → the resource's chat models from GET /openai/models?api-version=…", async () => {
    const before = emu.emulator.requests().length;
    const models = await azureAdapter.listModels(config("valid"), signal());
    expect(models).toEqual(["gpt-4o-2024-11-20", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "o3-mini-2025-01-31"]);
    expect(emu.emulator.requests().slice(before).map(route)).toEqual(["GET /openai/models?api-version=2024-10-21"]);
    expect(await azureAdapter.listModels(config("valid", { host: `${emu.apiHost}/openai/v1` }), signal())).toContain("gpt-4o-2024-11-20");
  });

  it("listModels: a huge list is cut and salvaged; failures throw without the key", async () => {
    const huge = await azureAdapter.listModels(config("huge"), signal());
    expect(huge!.slice(0, 2)).toEqual(["gpt-4o-2024-11-20", "gpt-4o-mini-2024-07-18"]);
    expect(huge!.length).toBeLessThanOrEqual(500);
    const cfg = config("bad");
    const error = await azureAdapter.listModels(cfg, signal()).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/HTTP 401/);
    expect((error as Error).message).not.toContain(cfg.secrets.apiKey);
  });

  it("checkTools: supported via a valid key (forced tool_choice, small budget, on the deployment)", async () => {
    const before = emu.emulator.requests().length;
    expect(await azureAdapter.checkTools(config("valid"), signal())).toBe("supported");
    const requests = emu.emulator.requests().slice(before);
    expect(requests.map(route)).toEqual([CHAT]);
    const body = JSON.parse(requests[0]!.body) as { tools: unknown[]; tool_choice: unknown; max_tokens: number };
    expect(body.tools).toHaveLength(1);
    expect(body.tool_choice).toBe("required");
    expect(body.max_tokens).toBeLessThanOrEqual(64);
    expect(requests[0]!.headers["api-key"]).toBeTruthy();
    expect(await azureAdapter.checkTools(config("valid", { deployment: "my-o3-mini" }), signal())).toBe("supported");
  });

  it("checkTools: notools → unsupported; failures → unknown", async () => {
    expect(await azureAdapter.checkTools(config("notools"), signal())).toBe("unsupported");
    for (const scenario of ["bad", "ratelimit", "error500", "slow"] as const) {
      expect(await azureAdapter.checkTools(config(scenario), signal()), scenario).toBe("unknown");
    }
    expect(await azureAdapter.checkTools(config("valid", { deployment: "nope" }), signal())).toBe("unknown");
    expect(await azureAdapter.checkTools(config("valid", { deployment: "" }), signal())).toBe("unknown");
  });
});
