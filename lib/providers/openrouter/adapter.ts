/**
 * OpenRouter adapter: key (GET /key: GET /models needs no auth and proves nothing about a key; a
 * key whose credit limit is used up is quota) → model (in the public GET /models list) →
 * invocation (POST /chat/completions, 1 token). Bearer auth.
 */
import "server-only";
import type { GuardedResponse } from "@/lib/net/types";
import { createProbe, listUnreachableError, type FetchOptions } from "../http-step";
import type { StepVerdict } from "../openai-family/classify";
import { bearerHeaders, isRecord, normalizeBaseUrl, parseJsonBody, salvageModelIds } from "../openai-family/style";
import { attemptToolSupport, toolProbeBody, type ToolChoice } from "../openai-family/tools";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult } from "../types";
import { classifyOpenRouter, minimumTokensAsked, openRouterError } from "./classify";

export { classifyOpenRouter } from "./classify";

const DEFAULT_API_HOST = "https://openrouter.ai/api/v1";
// The public list is long (hundreds of models with descriptions and pricing): a larger cap.
const LIST_MAX_BYTES = 4 * 1024 * 1024;
const MAX_MODELS = 1000;
// Routing shortcuts that are not separate entries in the list.
const ROUTING_SUFFIX = /:(nitro|floor|online|exacto)$/i;

export type OpenRouterAdapterOptions = FetchOptions & {
  /** Used when the credential has no API Host. */
  defaultApiHost?: string;
};

/** normalizeBaseUrl, minus a pasted `/key`; a bare origin gets `/api/v1` and `…/api` gets `/v1`. */
export function openRouterBaseUrl(input: string): string {
  const base = normalizeBaseUrl(input).replace(/\/key$/i, "");
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return base;
  }
  if (url.pathname === "/" || url.pathname === "") return `${url.origin}/api/v1`;
  if (/\/api$/i.test(url.pathname)) return `${base}/v1`;
  return base;
}

type ListedModel = { id: string; slug?: string };

function listedModels(response: GuardedResponse): ListedModel[] {
  if (response.truncated) return salvageModelIds(response.text, MAX_MODELS).map((id) => ({ id }));
  const body = parseJsonBody(response.text);
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
  return data.flatMap((item) => {
    if (!isRecord(item) || typeof item.id !== "string" || item.id.length > 200) return [];
    return [{ id: item.id, slug: typeof item.canonical_slug === "string" ? item.canonical_slug : undefined }];
  });
}

/** Whether the list knows the model: its id or canonical slug, any case, or its base before a routing suffix. */
export function isListedModel(model: string, listed: readonly ListedModel[]): boolean {
  const wanted = [model, model.replace(ROUTING_SUFFIX, "")].map((id) => id.toLowerCase());
  return listed.some(
    (entry) => wanted.includes(entry.id.toLowerCase()) || (entry.slug !== undefined && wanted.includes(entry.slug.toLowerCase())),
  );
}

// GET /key's `data`: a key with a credit limit and nothing left of it is quota.
function keyLimitReached(response: GuardedResponse): StepVerdict | undefined {
  const body = parseJsonBody(response.text);
  const data = isRecord(body) && isRecord(body.data) ? body.data : {};
  const remaining = data.limit_remaining;
  if (typeof remaining !== "number" || remaining > 0) return undefined;
  const limit = typeof data.limit === "number" ? ` of its ${data.limit} credit limit` : "";
  return {
    outcome: "quota_exceeded",
    step: "key",
    httpStatus: response.status,
    providerCode: "limit_remaining",
    providerMessage: `This key has used all${limit} (limit_remaining ${remaining}).`,
  };
}

/** Creates the OpenRouter adapter. */
export function createOpenRouterAdapter(options: OpenRouterAdapterOptions = {}): ProviderAdapter {
  const session = (config: CredentialConfig, signal: AbortSignal) =>
    createProbe(config, signal, {
      base: openRouterBaseUrl(config.apiHost.trim() || options.defaultApiHost || DEFAULT_API_HOST),
      headers: bearerHeaders,
      classify: classifyOpenRouter,
      fetch: options.fetch,
      requestTimeoutMs: options.requestTimeoutMs,
    });

  async function validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
    const { host, model, call, verdict } = session(config, signal);

    // 1. Key: GET /key (the model list is public and proves nothing about the key).
    const keyed = await call("key", "/key");
    if ("failed" in keyed) return keyed.failed;
    const keyVerdict = verdict(keyed.response, "key");
    if (keyVerdict.outcome !== "valid") return { ...keyVerdict, host };
    const exhausted = keyLimitReached(keyed.response);
    if (exhausted) return { ...exhausted, host };

    // 2. Model: in the public list. A list that cannot be read leaves the decision to the chat call.
    if (!model) return { outcome: "invalid_model", step: "model", providerMessage: "No model name was given.", host };
    const listed = await call("model", "/models", undefined, LIST_MAX_BYTES);
    if ("failed" in listed) return listed.failed;
    let models: string[] | undefined;
    if (verdict(listed.response, "model").outcome === "valid") {
      const entries = listedModels(listed.response);
      models = entries.map((entry) => entry.id).slice(0, MAX_MODELS);
      if (!listed.response.truncated && !isListedModel(model, entries)) {
        const providerMessage = `${model.slice(0, 200)} is not in OpenRouter's model list.`;
        return { outcome: "invalid_model", step: "model", httpStatus: listed.response.status, providerMessage, host, models };
      }
    }
    const finish = (result: StepVerdict | ValidationResult): ValidationResult => ({ host, ...result, ...(models ? { models } : {}) });

    // 3. Invocation: one short message, one token (more only if the upstream demands a minimum).
    const messages = [{ role: "user", content: "hi" }];
    const probe = (maxTokens: number) => call("invocation", "/chat/completions", { model, messages, max_tokens: maxTokens });
    let invoked = await probe(1);
    const minimum = "response" in invoked ? minimumTokensAsked(invoked.response.status, invoked.response.text) : undefined;
    if (minimum !== undefined) invoked = await probe(minimum);
    if ("failed" in invoked) return finish(invoked.failed);
    return finish(verdict(invoked.response, "invocation"));
  }

  async function listModels(config: CredentialConfig, { signal }: ValidateOptions): Promise<string[]> {
    const { call, verdict } = session(config, signal);
    const listed = await call("model", "/models", undefined, LIST_MAX_BYTES);
    if ("failed" in listed) throw listUnreachableError(listed.failed);
    const listVerdict = verdict(listed.response, "model");
    if (listVerdict.outcome === "valid")
      return listedModels(listed.response)
        .map((entry) => entry.id)
        .slice(0, MAX_MODELS);
    const detail = listVerdict.providerMessage ? `: ${listVerdict.providerMessage}` : "";
    throw new Error(`Could not list models (HTTP ${listed.response.status})${detail}`);
  }

  async function checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
    try {
      const { model, call } = session(config, signal);
      if (!model) return "unknown";
      let choice: ToolChoice = "required";
      const send = () => call("invocation", "/chat/completions", toolProbeBody(model, choice, "max_tokens"));
      let attempt = await send();
      // Some upstreams take tools but not a forced choice (404 "No endpoints found that support the provided 'tool_choice' value").
      if ("response" in attempt && [400, 404, 422].includes(attempt.response.status)) {
        if (/tool_choice/i.test(openRouterError(parseJsonBody(attempt.response.text)).message ?? "")) {
          choice = "auto";
          attempt = await send();
        }
      }
      return attemptToolSupport(attempt, choice);
    } catch {
      return "unknown";
    }
  }

  return { validate, listModels, checkTools };
}

export const openrouterAdapter: ProviderAdapter = createOpenRouterAdapter();
