import { describe, expect, it } from "vitest";
import { getGatewaySpec } from "@/lib/providers/registry";
import { forwardedPath, parseGatewayPath, profileForwardedPath } from "./path";
import { targetFor, type GatewayCredential } from "./types";

const cred = (provider: GatewayCredential["provider"], apiHost: string, extra: Record<string, string> = {}): GatewayCredential => ({
  id: "c",
  provider,
  apiHost,
  extra,
  secrets: { apiKey: "sk-stored" },
});

function upstream(c: GatewayCredential, path: string, search = "") {
  const spec = getGatewaySpec(c.provider);
  const segments = parseGatewayPath(path, spec.slashInSegment);
  const route = segments && spec.route(segments, c);
  return route ? { url: spec.url(c, route, search), method: route.method, model: route.model } : null;
}

describe("gateway paths", () => {
  it("refuses traversal, encoded slashes, double slashes and odd characters", () => {
    for (const bad of [
      "",
      "a//b",
      "a/",
      "/a",
      "a/../b",
      "a/%2e%2E/b",
      "a/./b",
      "models%2Fx",
      "a%5Cb",
      "a\\b",
      "a%00b",
      "a%zz",
      "a%252Fb",
    ]) {
      expect(parseGatewayPath(bad), bad).toBeNull();
    }
    expect(parseGatewayPath("models/llama3.2%3Alatest")).toEqual(["models", "llama3.2:latest"]);
    expect(parseGatewayPath("model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x/converse", 1)).toEqual([
      "model",
      "arn:aws:bedrock:us-east-1:1:inference-profile/us.x",
      "converse",
    ]);
    expect(forwardedPath("/api/v1/gateway/abc/v1/messages")).toBe("v1/messages");
  });

  it("OpenAI-style: inference POST and models GET, base joined without a doubled /v1", () => {
    const c = cred("openai", "https://api.openai.com/v1/");
    expect(upstream(c, "chat/completions", "?x=1")).toEqual({
      url: "https://api.openai.com/v1/chat/completions?x=1",
      method: "POST",
      model: null,
    });
    expect(upstream(c, "v1/chat/completions")?.url).toBe("https://api.openai.com/v1/chat/completions");
    expect(upstream(c, "models/gpt-4o")).toMatchObject({ url: "https://api.openai.com/v1/models/gpt-4o", method: "GET" });
    for (const bad of [
      "files",
      "fine_tuning/jobs",
      "batches",
      "organization/users",
      "models/a/b",
      "responses/resp_1",
      "audio/speech",
      "chat",
    ]) {
      expect(upstream(c, bad), bad).toBeNull();
    }
    expect(upstream(cred("deepseek", "https://api.deepseek.com"), "user/balance")).toBeNull();
    expect(upstream(cred("deepseek", "https://api.deepseek.com"), "chat/completions")?.url).toBe(
      "https://api.deepseek.com/chat/completions",
    );
    expect(upstream(cred("openrouter", "https://openrouter.ai/api/v1"), "models/openai/gpt-4o")?.url).toBe(
      "https://openrouter.ai/api/v1/models/openai/gpt-4o",
    );
    expect(upstream(cred("openrouter", "https://openrouter.ai/api/v1"), "key")).toBeNull();
    expect(upstream(cred("gemini", "https://generativelanguage.googleapis.com/v1beta"), "chat/completions")?.url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
    );
  });

  it("Anthropic: the API root, messages and models only", () => {
    const c = cred("anthropic", "https://api.anthropic.com/v1");
    expect(upstream(c, "v1/messages")).toEqual({ url: "https://api.anthropic.com/v1/messages", method: "POST", model: null });
    expect(upstream(c, "v1/messages/count_tokens")?.method).toBe("POST");
    expect(upstream(c, "v1/models/claude-x")?.method).toBe("GET");
    for (const bad of ["v1/messages/batches", "v1/files", "v1/organizations/api_keys", "messages"])
      expect(upstream(c, bad), bad).toBeNull();
  });

  it("Azure: deployment and v1 forms on the resource endpoint", () => {
    const c = cred("azure", "https://res.openai.azure.com/openai", { deploymentName: "d1", apiVersion: "2024-10-21" });
    expect(upstream(c, "openai/deployments/my-dep/chat/completions", "?api-version=2024-10-21")).toEqual({
      url: "https://res.openai.azure.com/openai/deployments/my-dep/chat/completions?api-version=2024-10-21",
      method: "POST",
      model: "my-dep",
    });
    expect(upstream(c, "openai/v1/chat/completions")?.url).toBe("https://res.openai.azure.com/openai/v1/chat/completions");
    expect(upstream(c, "chat/completions")?.url).toBe("https://res.openai.azure.com/openai/v1/chat/completions");
    for (const bad of ["openai/deployments/d/files", "openai/files", "openai/deployments", "openai/v1/files"])
      expect(upstream(c, bad), bad).toBeNull();
  });

  it("Bedrock: the four runtime operations under model/<id>/", () => {
    const c = cred("bedrock", "", { region: "eu-west-1" });
    expect(upstream(c, "model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream")).toEqual({
      url: "https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream",
      method: "POST",
      model: "anthropic.claude-3-haiku-20240307-v1:0",
    });
    for (const bad of [
      "model/x/converse/extra",
      "foundation-models",
      "model/x/delete",
      "model/..%2Fx/converse",
      "model/x%2F..%2Fy/invoke",
    ]) {
      expect(upstream(c, bad), bad).toBeNull();
    }
  });
});

describe("profile paths and model targets", () => {
  it("takes the path after /gateway/profile/<name>/", () => {
    expect(profileForwardedPath("/api/v1/gateway/profile/coder/v1/chat/completions")).toBe("v1/chat/completions");
    expect(profileForwardedPath("/api/v1/gateway/profile/coder")).toBeNull();
  });

  it("aims a route at an entry's model: body for OpenAI-style, path for Bedrock, the deployment for Azure", () => {
    const target = (c: GatewayCredential, path: string, model: string) => {
      const spec = getGatewaySpec(c.provider);
      const route = spec.route(parseGatewayPath(path, spec.slashInSegment)!, c)!;
      const aimed = targetFor(spec, route, c, model);
      return aimed && { url: spec.url(c, aimed.route, ""), model: aimed.route.model, bodyModel: aimed.bodyModel };
    };
    expect(target(cred("openai", "https://api.openai.com/v1"), "chat/completions", "gpt-b")).toEqual({
      url: "https://api.openai.com/v1/chat/completions",
      model: null,
      bodyModel: "gpt-b",
    });
    expect(target(cred("bedrock", "", { region: "eu-west-3" }), "model/a.b-v1%3A0/converse-stream", "arn:aws:x/y")).toEqual({
      url: "https://bedrock-runtime.eu-west-3.amazonaws.com/model/arn%3Aaws%3Ax%2Fy/converse-stream",
      model: "arn:aws:x/y",
      bodyModel: null,
    });
    expect(target(cred("bedrock", "", { region: "eu-west-3" }), "model/a.b-v1%3A0/invoke", "bad model")).toBeNull();
    const azure = cred("azure", "https://res.openai.azure.com", { deploymentName: "dep-2" });
    expect(target(azure, "openai/deployments/dep-1/chat/completions", "gpt-4o")).toMatchObject({
      url: "https://res.openai.azure.com/openai/deployments/dep-2/chat/completions",
      model: "dep-2",
    });
    expect(target(cred("azure", "https://res.openai.azure.com"), "openai/deployments/dep-1/embeddings", "gpt 4o")).toMatchObject({
      url: "https://res.openai.azure.com/openai/deployments/gpt%204o/embeddings",
    });
    expect(target(azure, "openai/v1/chat/completions", "gpt-4o")).toMatchObject({ bodyModel: "dep-2" });
  });
});
