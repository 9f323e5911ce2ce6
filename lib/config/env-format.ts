/**
 * `GET /api/v1/config?format=env`: the resolved config as dotenv lines that mean the same thing to
 * the `dotenv` package and to POSIX sh (`set -a; . ./.env; set +a`).
 *
 * Every value is single-quoted: both read it literally (`$`, backticks, `"`, `\` and `#` stay as
 * they are; dotenv expands `\n` only in double quotes). What a single-quoted value cannot hold in
 * both — a `'`, a line break (dotenv also folds CR and CRLF, and treats U+2028/U+2029 as line
 * ends), a NUL or any other control character, a lone surrogate — is refused, naming the variable
 * and never the value, so the caller can answer 422 and point at the JSON format. JSON values
 * (parameters) never need refusing: JSON can escape every such character as `\uXXXX`.
 *
 * Pure (no server-only imports) so unit tests can run the output through dotenv and /bin/sh.
 */
import type { AgentConfig } from "./resolve";

export type EnvVars = [name: string, value: string][];

export type RenderedEnv = { ok: true; text: string } | { ok: false; variable: string; problem: string };

/** Provider id → variable prefix for `<PREFIX>_API_KEY` / `<PREFIX>_BASE_URL`. Azure and Bedrock have their SDKs' own names. */
const PREFIX: Record<string, string> = {
  openai: "OPENAI",
  anthropic: "ANTHROPIC",
  gemini: "GEMINI",
  openrouter: "OPENROUTER",
  qwen: "QWEN",
  deepseek: "DEEPSEEK",
  minimax: "MINIMAX",
  zai: "ZAI",
  "openai-compatible": "OPENAI_COMPATIBLE",
};

// bedrock-runtime[-fips].<region>.amazonaws.com[.cn]: the SDK derives this host from AWS_REGION.
const PUBLIC_BEDROCK_RUNTIME = /^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/i;

/** The provider's own variables (what its SDK reads), for key mode and gateway mode alike. */
function providerVars(config: AgentConfig): EnvVars {
  const { apiHost, apiKey, extra } = config;
  const vars: [string, string | null | undefined][] = [];
  if (config.provider === "azure") {
    // The SDK reads no variable for the deployment; AZURE_OPENAI_DEPLOYMENT is the common spelling in samples.
    vars.push(
      ["AZURE_OPENAI_API_KEY", apiKey],
      ["AZURE_OPENAI_ENDPOINT", apiHost],
      ["OPENAI_API_VERSION", extra.apiVersion],
      ["AZURE_OPENAI_DEPLOYMENT", extra.deploymentName],
    );
  } else if (config.provider === "bedrock") {
    vars.push(...bedrockVars(config));
  } else {
    const prefix = PREFIX[config.provider] ?? config.provider.toUpperCase().replace(/[^A-Z0-9]/g, "_");
    vars.push([`${prefix}_API_KEY`, apiKey], [`${prefix}_BASE_URL`, apiHost]);
  }
  return present(vars);
}

/**
 * Bedrock: the region, an endpoint when it is not the public one the SDK derives, and one way to
 * authenticate — the one BYOK itself uses (a Bedrock API key wins over an access key pair). In
 * gateway mode the agent token is the bearer and BYOK's gateway the endpoint; no AWS secret.
 */
function bedrockVars(config: AgentConfig): [string, string | null | undefined][] {
  const { apiHost, apiKey, extra } = config;
  if (config.delivery === "gateway") {
    return [
      ["AWS_REGION", extra.region],
      ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME", apiHost],
      ["AWS_BEARER_TOKEN_BEDROCK", apiKey],
    ];
  }
  let region = extra.region;
  let endpoint: string | undefined = apiHost.trim() || undefined;
  if (endpoint) {
    const publicHost = PUBLIC_BEDROCK_RUNTIME.exec(hostnameOf(endpoint));
    // A public runtime host names its region (BYOK signs for it too): let the SDK derive the endpoint.
    if (publicHost) [region, endpoint] = [publicHost[1]!.toLowerCase(), undefined];
  }
  const auth: [string, string | undefined][] = apiKey
    ? [["AWS_BEARER_TOKEN_BEDROCK", apiKey]]
    : [
        ["AWS_ACCESS_KEY_ID", extra.accessKeyId],
        ["AWS_SECRET_ACCESS_KEY", extra.secretAccessKey],
        ["AWS_SESSION_TOKEN", extra.sessionToken],
      ];
  return [["AWS_REGION", region], ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME", endpoint], ...auth];
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

function present(vars: [string, string | null | undefined][]): EnvVars {
  return vars.filter((entry): entry is [string, string] => typeof entry[1] === "string");
}

/** The variables for a config, in output order: BYOK's own, then the provider's. Values unquoted. */
export function envVars(config: AgentConfig): EnvVars {
  const vars: [string, string | null | undefined][] = [
    ["BYOK_PROVIDER", config.provider],
    ["BYOK_MODEL", config.model],
    ["BYOK_DELIVERY", config.delivery],
    ["BYOK_API_HOST", config.apiHost],
    ["BYOK_API_KEY", config.apiKey],
    ["BYOK_PARAMETERS", Object.keys(config.parameters).length > 0 ? jsonValue(config.parameters) : undefined],
  ];
  return [...present(vars), ...providerVars(config)];
}

/**
 * JSON whose text is safe inside single quotes: `'`, control characters, U+2028/U+2029 (which
 * JSON.stringify leaves raw) and lone surrogates become `\uXXXX` escapes. They can only occur
 * inside JSON strings, where the escape means the same character.
 */
export function jsonValue(value: unknown): string {
  return JSON.stringify(value).replace(/['\p{Cc}\u2028\u2029]|\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Why a value cannot be single-quoted safely, or null when it can. */
export function unquotableReason(value: string): string | null {
  if (/[\n\r\u2028\u2029]/.test(value)) return "contains a line break";
  if (value.includes("'")) return "contains a single quote";
  if (/\p{Cc}/u.test(value)) return "contains a control character";
  if (/\p{Cs}/u.test(value)) return "contains an unpaired surrogate";
  return null;
}

/** A header comment line: anything that could end the line or confuse a reader becomes `?`. */
function comment(text: string): string {
  return `# ${text.replace(/[\p{Cc}\u2028\u2029]|\p{Cs}/gu, "?")}`;
}

/**
 * Renders the config as dotenv text (one `NAME='value'` line each, after a comment header), or
 * names the first variable whose value cannot be represented.
 */
export function renderEnv(config: AgentConfig): RenderedEnv {
  const vars = envVars(config);
  for (const [variable, value] of vars) {
    const problem = unquotableReason(value);
    if (problem) return { ok: false, variable, problem };
  }
  const header = comment(`BYOK: ${config.providerName} · ${config.model} · delivery ${config.delivery}`);
  return { ok: true, text: [header, ...vars.map(([name, value]) => `${name}='${value}'`)].join("\n") + "\n" };
}
