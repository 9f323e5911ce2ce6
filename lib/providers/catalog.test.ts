import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getProvider, PROVIDERS, secretFieldNames } from "./catalog";
import { PROVIDER_IDS } from "./types";

describe("provider catalog", () => {
  it("lists the eleven providers in card order with their display names", () => {
    expect(PROVIDERS.map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    expect(PROVIDERS.map((p) => p.name)).toEqual([
      "OpenAI",
      "Anthropic",
      "Google Gemini",
      "OpenRouter",
      "Qwen (Alibaba)",
      "DeepSeek",
      "Minimax",
      "Z.ai",
      "Azure OpenAI",
      "AWS Bedrock",
      "OpenAI Compatible",
    ]);
  });

  it("gives every provider an API Key field, required except for Bedrock and OpenAI Compatible", () => {
    for (const p of PROVIDERS) {
      const apiKey = p.fields.find((f) => f.name === "apiKey");
      expect(apiKey, p.id).toMatchObject({ label: "API Key", secret: true });
      expect(apiKey?.required, p.id).toBe(p.id !== "bedrock" && p.id !== "openai-compatible");
      expect(new Set(p.fields.map((f) => f.name)).size, p.id).toBe(p.fields.length);
      expect(p.defaultModel, p.id).toBeTruthy();
      expect(p.suggestedModels, p.id).toContain(p.defaultModel);
      expect(p.docsUrl, p.id).toMatch(/^https:\/\//);
    }
  });

  it("has a default host or a placeholder, never both", () => {
    for (const p of PROVIDERS) {
      const perAccount = ["azure", "bedrock", "openai-compatible"].includes(p.id);
      expect(Boolean(p.defaultApiHost), p.id).toBe(!perAccount);
      expect(Boolean(p.apiHostPlaceholder), p.id).toBe(perAccount);
    }
    expect(getProvider("openai").defaultApiHost).toBe("https://api.openai.com/v1");
    expect(getProvider("azure").apiHostPlaceholder).toBe("https://{resource}.openai.azure.com");
  });

  it("adds Azure's and Bedrock's own fields with their labels", () => {
    const label = (id: string) => getProvider(id)!.fields.map((f) => f.label);
    expect(label("azure")).toEqual(["API Key", "API Version", "Deployment Name"]);
    expect(getProvider("azure").fields.find((f) => f.name === "apiVersion")).toMatchObject({ defaultValue: "2024-10-21", required: true });
    expect(label("bedrock")).toEqual(["Region", "Access Key ID", "Secret Access Key", "Session Token", "API Key"]);
    expect(secretFieldNames(getProvider("bedrock"))).toEqual(["accessKeyId", "secretAccessKey", "sessionToken", "apiKey"]);
    expect(secretFieldNames(getProvider("openai"))).toEqual(["apiKey"]);
  });

  it("lists every provider in card order, each with a validation adapter, and knows no other ids", async () => {
    const { getAdapter } = await import("./registry");
    expect(PROVIDERS.map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    for (const id of PROVIDER_IDS) expect(getAdapter(id), id).toBeDefined();
    expect(getProvider("nope")).toBeUndefined();
    expect(getProvider("__proto__")).toBeUndefined();
    expect(getAdapter("nope")).toBeUndefined();
    expect(getAdapter("__proto__")).toBeUndefined();
  });

  it("loads outside the server (client components import it): no card pulls in server-only code", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const probe = `const m = await import("./lib/providers/catalog.ts"); console.log((m.PROVIDERS ?? m.default.PROVIDERS).length);`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { cwd: root, encoding: "utf8" });
    expect(out.trim().split("\n").pop()).toBe(String(PROVIDER_IDS.length));
  }, 60_000);
});
