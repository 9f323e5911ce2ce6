import { describe, expect, it } from "vitest";
import { CONFIG_ERROR_CODES, GATEWAY_ERROR_CODES, PROFILE_GATEWAY_ERROR_CODES } from "@/lib/config/contract";
import { buildOpenApiDocument } from "./document";
import { anchorOf, readReference } from "./reference";

const reference = readReference(buildOpenApiDocument());
const endpoint = (path: string) => reference.endpoints.find((e) => e.path === path)!;

describe("readReference (what /docs/api shows)", () => {
  it("lists each path once with its methods, and anchors that are valid ids", () => {
    expect(reference.endpoints.map((e) => [e.methods.join(" "), e.path])).toEqual([
      ["GET", "/api/v1/config"],
      ["GET POST", "/api/v1/gateway/{credentialId}/{path}"],
      ["GET POST", "/api/v1/gateway/profile/{name}/{path}"],
      ["GET", "/api/v1/openapi.json"],
    ]);
    expect(anchorOf("/api/v1/gateway/{credentialId}/{path}")).toBe("gateway-credentialid-path");
  });

  it("shows the config endpoint's parameters, its example answers and every error code under its status", () => {
    const config = endpoint("/api/v1/config");
    expect(config.params.map((p) => [p.name, p.location, p.required])).toEqual([
      ["provider", "query", false],
      ["profile", "query", false],
      ["format", "query", false],
    ]);
    expect(config.params[0]!.type).toContain('"openai-compatible"');
    const ok = config.responses.find((r) => r.status === "200")!;
    expect(ok.examples.map((e) => e.name)).toEqual(["key", "gateway", "profile", "env"]);
    expect(JSON.parse(ok.examples[0]!.text)).toMatchObject({ delivery: "key", provider: "openai" });
    expect(config.responses.flatMap((r) => r.codes.map((c) => c.code)).sort()).toEqual([...CONFIG_ERROR_CODES].sort());
    expect(config.responses.find((r) => r.status === "404")).toMatchObject({ description: "Not found" });
    expect(config.responses.find((r) => r.status === "429")!.headers.map((h) => h.name)).toContain("Retry-After");
    expect(config.auth).toEqual(["agentToken"]);
  });

  it("shows the gateway's pass-through, its own errors, and the three ways to send a token", () => {
    const gateway = endpoint("/api/v1/gateway/profile/{name}/{path}");
    expect(gateway.responses[0]).toMatchObject({
      status: "default",
      headers: [{ name: "x-byok-credential" }, { name: "x-byok-model" }, { name: "x-byok-attempts" }],
    });
    expect(new Set(gateway.responses.flatMap((r) => r.codes.map((c) => c.code)))).toEqual(new Set(PROFILE_GATEWAY_ERROR_CODES));
    const plain = endpoint("/api/v1/gateway/{credentialId}/{path}");
    expect(new Set(plain.responses.flatMap((r) => r.codes.map((c) => c.code)))).toEqual(new Set(GATEWAY_ERROR_CODES));
    expect(gateway.requestBody).toMatch(/forwarded as is/);
    expect(reference.auth.map((a) => a.how)).toEqual(["Authorization: Bearer <token>", "x-api-key: <token>", "api-key: <token>"]);
    expect(endpoint("/api/v1/openapi.json").auth).toEqual([]);
  });

  it("lists the answer's fields, nested ones flattened", () => {
    const answer = reference.schemas.find((s) => s.name === "ConfigAnswer")!;
    expect(answer.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(["delivery", "apiKey", "source.via", "capabilities.tools", "fallbacks"]),
    );
    expect(answer.fields.find((f) => f.name === "apiKey")).toMatchObject({ type: "string | null", required: true });
    expect(answer.fields.find((f) => f.name === "fallbacks")).toMatchObject({ type: "AgentConfig[]", required: false });
  });
});
