import { describe, expect, it } from "vitest";
import type { CredentialConfig } from "../types";
import { azureModelIds, classifyAzure, type AzureClassifyOptions } from "./classify";
import { resolveAzureTarget } from "./target";

const KEY = "3f9c2a7be41d4c0e9a8b5d6f7e1c2b3a";
const chat: AzureClassifyOptions = { kind: "chat", form: "classic", apiVersion: "2024-10-21" };
const err = (code: string, message: string) => JSON.stringify({ error: { code, message } });

// Bodies quoted in /work/shared/providers.md (Azure section), in full.
const INVALID_KEY = err(
  "401",
  "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
);
const MISSING_KEY = err(
  "401",
  "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
);
const DEPLOYMENT_NOT_FOUND = err(
  "DeploymentNotFound",
  "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
);
const RESOURCE_NOT_FOUND = err("404", "Resource not found");
const RATE = err(
  "429",
  "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.",
);
const NOT_CHAT = err(
  "OperationNotSupported",
  "The chatCompletion operation does not work with the specified model, text-embedding-3-small. Please choose different model and try again.",
);
const HTML_500 =
  "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body><center><h1>500 Internal Server Error</h1></center></body></html>";
const COMPLETION = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  choices: [{ index: 0, message: { role: "assistant", content: "O" }, finish_reason: "length" }],
});

describe("classifyAzure: Azure's documented bodies", () => {
  it("401 (invalid or missing key) → invalid_key at the key step", () => {
    expect(classifyAzure(401, INVALID_KEY, chat)).toMatchObject({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 401,
      providerCode: "401",
    });
    expect(classifyAzure(401, MISSING_KEY, chat).outcome).toBe("invalid_key");
  });
  it("404 DeploymentNotFound → invalid_model (the deployment is the model)", () => {
    expect(classifyAzure(404, DEPLOYMENT_NOT_FOUND, chat)).toMatchObject({
      outcome: "invalid_model",
      step: "model",
      providerCode: "DeploymentNotFound",
    });
  });
  it("404 Resource not found → provider_error with a hint about the API Version and endpoint", () => {
    const v = classifyAzure(404, RESOURCE_NOT_FOUND, chat);
    expect(v).toMatchObject({ outcome: "provider_error", step: "key", httpStatus: 404, providerCode: "404" });
    expect(v.providerMessage).toMatch(
      /^Resource not found: check the API Version \("2024-10-21"\) and that the API Host is the resource endpoint/,
    );
    const v1 = classifyAzure(404, RESOURCE_NOT_FOUND, { kind: "chat", form: "v1" });
    expect(v1.providerMessage).toMatch(/openai\/v1/);
    expect(v1.providerMessage).not.toMatch(/API Version/);
  });
  it("429 token rate limit → rate_limited, never quota; 429 insufficient_quota → quota", () => {
    expect(classifyAzure(429, RATE, chat)).toMatchObject({ outcome: "rate_limited", step: "invocation", providerCode: "429" });
    const quota = JSON.stringify({
      error: { message: "You exceeded your current quota.", type: "insufficient_quota", code: "insufficient_quota", param: null },
    });
    expect(classifyAzure(429, quota, chat).outcome).toBe("quota_exceeded");
    expect(classifyAzure(429, "", chat).outcome).toBe("rate_limited");
  });
  it("400 OperationNotSupported (not a chat model) → invalid_model", () => {
    expect(classifyAzure(400, NOT_CHAT, chat)).toMatchObject({ outcome: "invalid_model", step: "model" });
  });
  it("403: firewall → provider_error; out of call volume quota → quota; otherwise invalid_key", () => {
    expect(classifyAzure(403, err("403", "Access denied due to Virtual Network/Firewall rules."), chat).outcome).toBe("provider_error");
    expect(
      classifyAzure(403, err("403", "Out of call volume quota for OpenAI S0 pricing tier. Please retry after 1 day."), chat).outcome,
    ).toBe("quota_exceeded");
    expect(classifyAzure(403, err("403", "Forbidden"), chat).outcome).toBe("invalid_key");
  });
  it("a reasoning model stopping at the 1-token cap counts as invoked", () => {
    const body = JSON.stringify({
      error: {
        message: "Could not finish the message because max_tokens or model output limit was reached.",
        type: "invalid_request_error",
      },
    });
    expect(classifyAzure(400, body, chat).outcome).toBe("valid");
  });
});

describe("classifyAzure: bodies that are not the expected shape", () => {
  it("HTML 5xx, empty, arrays, plain text and truncated bodies never crash and are never valid", () => {
    expect(classifyAzure(500, HTML_500, chat)).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
    expect(classifyAzure(503, "", chat)).toMatchObject({ outcome: "provider_error", httpStatus: 503 });
    expect(classifyAzure(400, JSON.stringify([JSON.parse(DEPLOYMENT_NOT_FOUND)]), chat).outcome).toBe("invalid_model");
    expect(classifyAzure(400, "[1,2,3]", chat).outcome).toBe("provider_error");
    expect(classifyAzure(502, "Bad Gateway", chat)).toMatchObject({ outcome: "provider_error", providerMessage: "Bad Gateway" });
    expect(classifyAzure(404, "", chat).providerMessage).toMatch(/^Not found: check the API Version/);
    expect(classifyAzure(302, "<html><head><title>302 Found</title></head></html>", chat)).toMatchObject({
      outcome: "provider_error",
      httpStatus: 302,
    });
    for (const body of ["", "<html><body>Welcome</body></html>", "[]", "OK", '{"id":"x"}']) {
      const v = classifyAzure(200, body, chat);
      expect(v.outcome, body).toBe("provider_error");
      expect(v.providerMessage, body).toBeTruthy();
    }
    expect(classifyAzure(200, COMPLETION.slice(0, 60), { ...chat, truncated: true }).outcome).toBe("provider_error");
  });
  it("a 200 is valid with the expected shape; a 200 carrying an error is judged by it", () => {
    expect(classifyAzure(200, COMPLETION, chat)).toEqual({ outcome: "valid", step: "invocation", httpStatus: 200 });
    expect(classifyAzure(200, JSON.stringify({ data: [], object: "list" }), { kind: "models" })).toMatchObject({
      outcome: "valid",
      step: "key",
    });
    expect(classifyAzure(200, '{"data":[{"status":"succeeded","id":"gpt-4o', { kind: "models", truncated: true }).outcome).toBe("valid");
    expect(classifyAzure(200, COMPLETION, { kind: "models" }).outcome).toBe("provider_error");
    expect(classifyAzure(200, INVALID_KEY, chat).outcome).toBe("invalid_key");
  });
  it("masks the key, one line, at most 300 characters", () => {
    const v = classifyAzure(401, err("401", `Key ${KEY} rejected.\n${"x ".repeat(300)}`), { ...chat, secrets: [KEY] });
    expect(v.providerMessage).not.toContain(KEY);
    expect(v.providerMessage).not.toContain(KEY.slice(-10));
    expect(v.providerMessage).not.toContain("\n");
    expect(v.providerMessage!.length).toBeLessThanOrEqual(300);
    expect(classifyAzure(404, err("404", "y".repeat(500)), chat).providerMessage!.length).toBeLessThanOrEqual(300);
  });
});

describe("azureModelIds", () => {
  it("keeps chat models, drops the others and odd entries", () => {
    const body = JSON.stringify({
      data: [
        { id: "gpt-4o-2024-11-20", capabilities: { chat_completion: true } },
        { id: "text-embedding-3-small", capabilities: { chat_completion: false } },
        { id: "legacy-model" },
        { id: 42 },
        "junk",
      ],
      object: "list",
    });
    expect(azureModelIds(body, false)).toEqual(["gpt-4o-2024-11-20", "legacy-model"]);
    expect(azureModelIds("<html>", false)).toBeUndefined();
    expect(azureModelIds('{"data":[{"status":"succeeded","id":"a"},{"id":"b","cap', true)).toEqual(["a", "b"]);
  });
});

describe("resolveAzureTarget", () => {
  const cfg = (apiHost: string, extra: Record<string, string> = {}, model = "gpt-4o"): CredentialConfig => ({
    provider: "azure",
    apiHost,
    model,
    secrets: { apiKey: KEY },
    extra,
  });

  it("classic form: endpoint + deployment + api-version (default 2024-10-21)", () => {
    const t = resolveAzureTarget(cfg("https://res.openai.azure.com/", { deploymentName: "my gpt", apiVersion: "2025-01-01-preview" }));
    expect(t).toMatchObject({ form: "classic", endpoint: "https://res.openai.azure.com", host: "res.openai.azure.com", callee: "my gpt" });
    expect(t.chatUrl).toBe("https://res.openai.azure.com/openai/deployments/my%20gpt/chat/completions?api-version=2025-01-01-preview");
    expect(t.modelsUrl).toBe("https://res.openai.azure.com/openai/models?api-version=2025-01-01-preview");
    expect(resolveAzureTarget(cfg("https://res.openai.azure.com/openai", { deploymentName: "d" })).apiVersion).toBe("2024-10-21");
  });

  it("Model Type is only a label in the classic form", () => {
    const t = resolveAzureTarget(cfg("https://res.openai.azure.com", {}, "gpt-4o"));
    expect(t.callee).toBe("");
    expect(t.chatUrl).toBeUndefined();
  });

  it("v1 form: no api-version, the deployment (else Model Type) is the model", () => {
    const t = resolveAzureTarget(cfg("https://res.openai.azure.com/openai/v1/", { deploymentName: "my-gpt4o", apiVersion: "2024-10-21" }));
    expect(t).toMatchObject({ form: "v1", endpoint: "https://res.openai.azure.com", callee: "my-gpt4o" });
    expect(t.chatUrl).toBe("https://res.openai.azure.com/openai/v1/chat/completions");
    expect(t.modelsUrl).toBe("https://res.openai.azure.com/openai/v1/models");
    expect(resolveAzureTarget(cfg("https://res.openai.azure.com/openai/v1", {}, "gpt-4o")).callee).toBe("gpt-4o");
  });

  it("a pasted Target URI fills empty fields; the fields win; other query parameters are dropped", () => {
    const pasted =
      "https://res.cognitiveservices.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2025-01-01-preview&api-key=oops";
    const t = resolveAzureTarget(cfg(pasted));
    expect(t).toMatchObject({
      form: "classic",
      endpoint: "https://res.cognitiveservices.azure.com",
      deployment: "my-gpt4o",
      apiVersion: "2025-01-01-preview",
    });
    expect(t.chatUrl).not.toContain("oops");
    expect(resolveAzureTarget(cfg(pasted, { deploymentName: "other", apiVersion: "2024-06-01" }))).toMatchObject({
      deployment: "other",
      apiVersion: "2024-06-01",
    });
  });

  it("keeps a path prefix before /openai and survives input that is not a URL", () => {
    expect(resolveAzureTarget(cfg("http://127.0.0.1:9/azure/openai/v1")).endpoint).toBe("http://127.0.0.1:9/azure");
    expect(resolveAzureTarget(cfg("res.openai.azure.com/", { deploymentName: "d" })).endpoint).toBe("res.openai.azure.com");
    expect(resolveAzureTarget(cfg("  ")).endpoint).toBe("");
  });
});
