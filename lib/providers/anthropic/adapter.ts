/**
 * Anthropic adapter: key (GET /v1/models, no tokens spent) → model (in that list, else
 * GET /v1/models/{id}, which also resolves aliases) → invocation (POST /v1/messages, 1 token).
 * Auth is `x-api-key` + `anthropic-version`, never Bearer; API Hosts with or without /v1 work.
 */
import "server-only";
import type { GuardedResponse } from "@/lib/net/types";
import { createProbe, listRefusedError, listUnreachableError, type FetchOptions } from "../http-step";
import type { StepVerdict } from "../openai-family/classify";
import { isRecord, parseJsonBody, rewriteBaseUrl } from "../openai-family/style";
import { TOOL_PROBE_MAX_TOKENS } from "../openai-family/tools";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult } from "../types";
import { anthropicToolSupport, classifyAnthropic } from "./classify";

export { classifyAnthropic } from "./classify";

export const ANTHROPIC_VERSION = "2023-06-01";
const DEFAULT_API_HOST = "https://api.anthropic.com";
// Most model ids kept for suggestions; page size and page count for listModels.
const MAX_MODELS = 500;
const PAGE_SIZE = 1000;
const MAX_PAGES = 5;

export type AnthropicAdapterOptions = FetchOptions & {
  /** Used when the credential has no API Host. */
  defaultApiHost?: string;
  /** `limit` of each GET /v1/models page (1–1000). */
  pageSize?: number;
};

/**
 * The API root without `/v1`: trims, strips trailing slashes, query, a pasted `/messages` or
 * `/models…` endpoint and any `/v1` (`https://api.anthropic.com/v1/` → `https://api.anthropic.com`).
 */
export function anthropicBaseUrl(input: string): string {
  return rewriteBaseUrl(input, (path) => path.replace(/\/(messages|models)(\/.*)?$/i, "").replace(/(\/v1)+$/i, ""));
}

/** JSON headers with `x-api-key` (when there is a key) and the required `anthropic-version`. */
export function anthropicHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": "application/json",
    "anthropic-version": ANTHROPIC_VERSION,
  };
  if (apiKey) headers["x-api-key"] = apiKey;
  return headers;
}

/**
 * Model ids of a `{data:[{type,id,…}]}` page, the first MAX_MODELS; from a page cut at the size
 * cap, those of the complete entries (the scan stops at MAX_MODELS).
 */
export function anthropicModelIds(response: Pick<GuardedResponse, "text" | "truncated">): string[] {
  const ids: string[] = [];
  if (response.truncated) {
    for (const match of response.text.matchAll(/"id"\s*:\s*"([^"\\]{1,200})"/g)) {
      if (ids.length >= MAX_MODELS) break;
      ids.push(match[1]!);
    }
    return ids;
  }
  const body = parseJsonBody(response.text);
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
  for (const item of data) {
    if (ids.length >= MAX_MODELS) break;
    if (isRecord(item) && typeof item.id === "string" && item.id.length <= 200) ids.push(item.id);
  }
  return ids;
}

const TOOL_PROBE = {
  name: "get_weather",
  description: "Get the current weather for a city.",
  input_schema: { type: "object", properties: { city: { type: "string", description: "City name" } }, required: ["city"] },
};

/** Creates the Anthropic adapter. */
export function createAnthropicAdapter(options: AnthropicAdapterOptions = {}): ProviderAdapter {
  const pageSize = options.pageSize ?? PAGE_SIZE;

  const session = (config: CredentialConfig, signal: AbortSignal) =>
    createProbe(config, signal, {
      base: anthropicBaseUrl(config.apiHost.trim() || options.defaultApiHost || DEFAULT_API_HOST),
      headers: anthropicHeaders,
      classify: classifyAnthropic,
      // Paths carry their own /v1 (the base has none).
      join: (base, path) => `${base}${path}`,
      fetch: options.fetch,
      requestTimeoutMs: options.requestTimeoutMs,
    });

  async function validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
    const { host, model, call, verdict } = session(config, signal);

    // 1. Key: the first page of models (spends nothing).
    const listed = await call("key", `/v1/models?limit=${pageSize}`);
    if ("failed" in listed) return listed.failed;
    const keyVerdict = verdict(listed.response, "key");
    if (keyVerdict.outcome !== "valid") return { ...keyVerdict, host };
    const models = anthropicModelIds(listed.response).slice(0, MAX_MODELS);
    const finish = (result: StepVerdict | ValidationResult): ValidationResult => ({ host, ...result, models });

    // 2. Model: in the list, else by id (aliases such as claude-sonnet-4-5 resolve there).
    if (!model) return finish({ outcome: "invalid_model", step: "model", providerMessage: "No model name was given." });
    if (!models.includes(model)) {
      const fetched = await call("model", `/v1/models/${encodeURIComponent(model)}`);
      if ("failed" in fetched) return finish(fetched.failed);
      const modelVerdict = verdict(fetched.response, "model");
      if (modelVerdict.outcome !== "valid") return finish(modelVerdict);
    }

    // 3. Invocation: one short message, one token.
    const invoked = await call("invocation", "/v1/messages", {
      model,
      max_tokens: 1,
      messages: [{ role: "user", content: "hi" }],
    });
    if ("failed" in invoked) return finish(invoked.failed);
    return finish(verdict(invoked.response, "invocation"));
  }

  async function listModels(config: CredentialConfig, { signal }: ValidateOptions): Promise<string[]> {
    const { call, verdict } = session(config, signal);
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES && ids.length < MAX_MODELS; page++) {
      const cursor = after ? `&after_id=${encodeURIComponent(after)}` : "";
      const listed = await call("key", `/v1/models?limit=${pageSize}${cursor}`);
      if ("failed" in listed) throw listUnreachableError(listed.failed);
      const pageVerdict = verdict(listed.response, "key");
      if (pageVerdict.outcome !== "valid") throw listRefusedError(pageVerdict, listed.response.status);
      ids.push(...anthropicModelIds(listed.response));
      const body = parseJsonBody(listed.response.text, listed.response.truncated);
      if (!isRecord(body) || body.has_more !== true || typeof body.last_id !== "string" || body.last_id === after) break;
      after = body.last_id;
    }
    return [...new Set(ids)].slice(0, MAX_MODELS);
  }

  async function checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
    try {
      const { model, call } = session(config, signal);
      if (!model) return "unknown";
      const attempt = await call("invocation", "/v1/messages", {
        model,
        max_tokens: TOOL_PROBE_MAX_TOKENS,
        messages: [{ role: "user", content: "What is the weather in Paris? Call the get_weather tool." }],
        tools: [TOOL_PROBE],
        tool_choice: { type: "tool", name: TOOL_PROBE.name },
      });
      if ("failed" in attempt) return "unknown";
      const { status, text, truncated } = attempt.response;
      return anthropicToolSupport(status, text, truncated);
    } catch {
      return "unknown";
    }
  }

  return { validate, listModels, checkTools };
}

export const anthropicAdapter: ProviderAdapter = createAnthropicAdapter();
