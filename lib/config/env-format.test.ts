/**
 * The dotenv rendering, read back by the real `dotenv` parser (both of its parsers) and by the real
 * /bin/sh: every value comes back exactly, no value adds or changes another variable, nothing in
 * a value runs; what cannot be represented is refused by variable name.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import dotenv from "dotenv";
import { afterAll, describe, expect, it } from "vitest";
import { PROVIDER_IDS } from "@/lib/providers/types";
import type { AgentConfig } from "./resolve";
import { envVars, jsonValue, renderEnv } from "./env-format";

const dir = mkdtempSync(path.join(tmpdir(), "byok-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARKER = path.join(dir, "pwned");

/** Model names and values no dotenv line or shell may reinterpret. */
const HOSTILE = [
  "$HOME",
  "${HOME}",
  "$(touch " + MARKER + ")",
  "`touch " + MARKER + "`",
  'say "hi"',
  "back\\slash\\n\\r\\t",
  "ends with a backslash\\",
  "# not a comment",
  "a #b",
  "  spaced  out  ",
  "a=b=c",
  "NAME=x; export EVIL=1",
  "ünïcödé 模型 🚀",
  "",
];

function config(provider: string, overrides: Partial<AgentConfig> = {}): AgentConfig {
  return {
    delivery: "key",
    provider,
    providerName: provider,
    model: "model-1",
    apiHost: `https://api.${provider}.example/v1`,
    apiKey: `sk-${provider}-key`,
    extra: {},
    parameters: {},
    capabilities: { tools: "unknown" },
    source: { type: "user", id: "u1", name: "Ada", via: "user_default" },
    status: "valid",
    validatedAt: null,
    ...overrides,
  };
}

function rendered(c: AgentConfig): string {
  const result = renderEnv(c);
  if (!result.ok) throw new Error(`refused ${result.variable}: ${result.problem}`);
  return result.text;
}

/** The variables /bin/sh ends up with after `set -a; . file`, minus the ones it has anyway. */
function throughShell(text: string): Record<string, string> {
  const run = (file: string) => {
    const out = execFileSync("/bin/sh", ["-c", 'set -a; . "$1"; env -0', "sh", file], { env: { PATH: "/usr/bin:/bin", NODE_ENV: "test" } });
    return Object.fromEntries(
      out
        .toString("utf8")
        .split("\0")
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    ) as Record<string, string>;
  };
  const file = path.join(dir, "config.env");
  writeFileSync(file, text);
  const empty = path.join(dir, "empty.env");
  writeFileSync(empty, "");
  const baseline = run(empty);
  return Object.fromEntries(Object.entries(run(file)).filter(([name]) => !(name in baseline)));
}

const hostileParameters = {
  temperature: 0.2,
  stop: ["'", "\n", "\r\n", "\u2028", "\0", "\u007f", "$(id)", "`id`"],
  "k'ey": { nested: "'\"\\" },
};

const everyConfig = PROVIDER_IDS.flatMap((provider) => [
  config(provider, {
    extra:
      provider === "azure" ? { apiVersion: "2024-10-21", deploymentName: "my-gpt" } : provider === "bedrock" ? { region: "eu-west-1" } : {},
  }),
  config(provider, { delivery: "gateway", apiHost: "https://byok.example/api/v1/gateway/c1", apiKey: "byok_agent_token" }),
]);

describe("renderEnv", () => {
  it.each(everyConfig.map((c) => [c.provider, c.delivery, c] as const))("%s (%s): dotenv reads back exactly the values", (_p, _d, c) => {
    const text = rendered(c);
    const expected = Object.fromEntries(envVars(c));
    expect(dotenv.parse(text)).toEqual(expected);
    expect(dotenv.parse(text, { fast: true })).toEqual(expected);
    expect(expected).toMatchObject({ BYOK_PROVIDER: c.provider, BYOK_MODEL: c.model, BYOK_API_HOST: c.apiHost, BYOK_API_KEY: c.apiKey });
  });

  it("names each provider's variables as its SDK reads them", () => {
    const names = (c: AgentConfig) =>
      envVars(c)
        .map(([name]) => name)
        .filter((name) => !name.startsWith("BYOK_"));
    expect(names(config("openai"))).toEqual(["OPENAI_API_KEY", "OPENAI_BASE_URL"]);
    expect(names(config("anthropic"))).toEqual(["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"]);
    expect(names(config("gemini"))).toEqual(["GEMINI_API_KEY", "GEMINI_BASE_URL"]);
    expect(names(config("openai-compatible"))).toEqual(["OPENAI_COMPATIBLE_API_KEY", "OPENAI_COMPATIBLE_BASE_URL"]);
    for (const id of ["openrouter", "qwen", "deepseek", "minimax", "zai"]) {
      expect(names(config(id))).toEqual([`${id.toUpperCase()}_API_KEY`, `${id.toUpperCase()}_BASE_URL`]);
    }
    const azure = Object.fromEntries(
      envVars(config("azure", { apiHost: "https://r.openai.azure.com", extra: { apiVersion: "2024-10-21", deploymentName: "my-gpt" } })),
    );
    expect(azure).toMatchObject({
      AZURE_OPENAI_API_KEY: "sk-azure-key",
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
      OPENAI_API_VERSION: "2024-10-21",
      AZURE_OPENAI_DEPLOYMENT: "my-gpt",
    });
    expect(Object.fromEntries(envVars(config("openai")))).toEqual({
      BYOK_PROVIDER: "openai",
      BYOK_MODEL: "model-1",
      BYOK_DELIVERY: "key",
      BYOK_API_HOST: "https://api.openai.example/v1",
      BYOK_API_KEY: "sk-openai-key",
      OPENAI_API_KEY: "sk-openai-key",
      OPENAI_BASE_URL: "https://api.openai.example/v1",
    });
  });

  it("Bedrock key mode: region, custom endpoint, and the one way BYOK authenticates", () => {
    const keys = {
      region: "eu-west-1",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: "s3cr3t/+=",
      sessionToken: "FwoG'ish".replace("'", "x"),
    };
    const pair = Object.fromEntries(envVars(config("bedrock", { apiHost: "", apiKey: null, extra: keys })));
    expect(pair).toMatchObject({
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "s3cr3t/+=",
      AWS_SESSION_TOKEN: "FwoGxish",
    });
    expect(pair).not.toHaveProperty("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
    expect(pair).not.toHaveProperty("BYOK_API_KEY");
    const bearer = Object.fromEntries(
      envVars(config("bedrock", { apiHost: "https://proxy.example/bedrock", apiKey: "ABSK-key", extra: keys })),
    );
    expect(bearer).toMatchObject({
      AWS_BEARER_TOKEN_BEDROCK: "ABSK-key",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "https://proxy.example/bedrock",
    });
    expect(Object.keys(bearer).filter((name) => /AWS_(ACCESS|SECRET|SESSION)/.test(name))).toEqual([]);
    // A public runtime host names the region BYOK signs for; the SDK derives the host from it.
    const regional = Object.fromEntries(
      envVars(config("bedrock", { apiHost: "https://bedrock-runtime.us-west-2.amazonaws.com/", extra: keys })),
    );
    expect(regional.AWS_REGION).toBe("us-west-2");
    expect(regional).not.toHaveProperty("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  });

  it("Bedrock gateway mode: the agent token as bearer, the gateway as endpoint, never an AWS secret", () => {
    // Even should a secret ever reach `extra`, gateway mode does not read it.
    const extra = { region: "eu-west-1", accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t", sessionToken: "tok" };
    const c = config("bedrock", { delivery: "gateway", apiHost: "https://byok.example/api/v1/gateway/c1", apiKey: "byok_agent", extra });
    expect(Object.fromEntries(envVars(c))).toEqual({
      BYOK_PROVIDER: "bedrock",
      BYOK_MODEL: "model-1",
      BYOK_DELIVERY: "gateway",
      BYOK_API_HOST: "https://byok.example/api/v1/gateway/c1",
      BYOK_API_KEY: "byok_agent",
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "https://byok.example/api/v1/gateway/c1",
      AWS_BEARER_TOKEN_BEDROCK: "byok_agent",
    });
    expect(rendered(c)).not.toMatch(/AKIAEXAMPLE|s3cr3t|tok'/);
  });

  it("omits absent values: no key, no parameters", () => {
    const names = envVars(config("openai-compatible", { apiKey: null })).map(([name]) => name);
    expect(names).toEqual(["BYOK_PROVIDER", "BYOK_MODEL", "BYOK_DELIVERY", "BYOK_API_HOST", "OPENAI_COMPATIBLE_BASE_URL"]);
  });

  it("hostile model names and parameters come back exactly through dotenv", () => {
    for (const model of HOSTILE) {
      const c = config("openai", { model, parameters: hostileParameters });
      const parsed = dotenv.parse(rendered(c));
      expect(parsed.BYOK_MODEL).toBe(model);
      expect(dotenv.parse(rendered(c), { fast: true }).BYOK_MODEL).toBe(model);
      expect(JSON.parse(parsed.BYOK_PARAMETERS!)).toEqual(hostileParameters);
      expect(Object.keys(parsed)).toEqual(envVars(c).map(([name]) => name));
    }
  });

  it("hostile values come back exactly through /bin/sh, set no other variable and run nothing", () => {
    for (const model of HOSTILE) {
      const c = config("anthropic", { model, apiKey: model, parameters: hostileParameters });
      const env = throughShell(rendered(c));
      const expected = Object.fromEntries(envVars(c));
      expect(env).toEqual(expected);
      expect(JSON.parse(env.BYOK_PARAMETERS!)).toEqual(hostileParameters);
    }
    expect(existsSync(MARKER)).toBe(false);
  });

  it("refuses what a single-quoted value cannot hold, naming the variable, never the value", () => {
    const cases: [Partial<AgentConfig>, string, string][] = [
      [{ model: "it's" }, "BYOK_MODEL", "single quote"],
      [{ model: "two\nlines" }, "BYOK_MODEL", "line break"],
      [{ model: "cr\r" }, "BYOK_MODEL", "line break"],
      [{ model: "para\u2029graph" }, "BYOK_MODEL", "line break"],
      [{ model: "nul\0" }, "BYOK_MODEL", "control character"],
      [{ model: "del\u007f" }, "BYOK_MODEL", "control character"],
      [{ model: "lone\ud800" }, "BYOK_MODEL", "unpaired surrogate"],
      [{ apiKey: "sk-'x" }, "BYOK_API_KEY", "single quote"],
    ];
    for (const [overrides, variable, problem] of cases) {
      const result = renderEnv(config("openai", overrides));
      expect(result).toMatchObject({ ok: false, variable });
      if (!result.ok) expect(result.problem).toContain(problem);
      expect(JSON.stringify(result)).not.toContain(overrides.model ?? overrides.apiKey);
    }
  });

  it("JSON values never need refusing", () => {
    const text = jsonValue({ "'": "\n\r\u2028\u2029\0\u007f\u0085\ud800" });
    expect(text).not.toMatch(/['\p{Cc}\u2028\u2029]|\p{Cs}/u);
    expect(JSON.parse(text)).toEqual({ "'": "\n\r\u2028\u2029\0\u007f\u0085\ud800" });
  });

  it("keeps the header comment on one line whatever the names", () => {
    const text = rendered(config("openai", { providerName: "Evil\u2028BYOK_MODEL=x\nY=1" }));
    expect(text.split("\n")[0]).toBe("# BYOK: Evil?BYOK_MODEL=x?Y=1 · model-1 · delivery key");
    expect(dotenv.parse(text).BYOK_MODEL).toBe("model-1");
    expect(dotenv.parse(text)).not.toHaveProperty("Y");
  });
});
