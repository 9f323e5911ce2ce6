/**
 * OpenAI adapter: key (GET /models, no tokens spent) → model (in that list, else GET /models/{id})
 * → invocation (POST /chat/completions, 1 token). Reused with other defaults by OpenAI-style providers.
 */
import "server-only";
import { env } from "@/lib/env";
import { guardedFetch } from "@/lib/net/guarded-fetch";
import { OutboundError, type GuardedRequest, type GuardedResponse } from "@/lib/net/types";
import { maskSecretsIn } from "./mask";
import { classifyOpenAI, wantsMaxCompletionTokens, type StepVerdict } from "./openai-classify";
import { apiUrl, bearerHeaders, hostOf, listModelIds, normalizeBaseUrl, parseJsonBody, salvageModelIds } from "./openai-style";
import type { CredentialConfig, ProviderAdapter, ValidateOptions, ValidationResult, ValidationStep } from "./types";

export { classifyOpenAI } from "./openai-classify";

export type FetchLike = (url: string, init?: GuardedRequest) => Promise<GuardedResponse>;

export type OpenAIAdapterOptions = {
  /** Outbound fetch; the env-configured guarded fetch by default. */
  fetch?: FetchLike;
  /** Per-request timeout; env.PROVIDER_REQUEST_TIMEOUT_MS by default. */
  requestTimeoutMs?: number;
  /** Used when the credential has no API Host. */
  defaultApiHost?: string;
  /** Path added to a bare origin (`https://api.openai.com` → `/v1`). */
  defaultPath?: string;
};

// Most model ids kept from a list for suggestions.
const MAX_MODELS = 500;
const PROBE_MESSAGE = "Reply with one word: ok";

/** The result for a request that never got an HTTP answer. */
export function unreachableResult(error: OutboundError, step: ValidationStep, secrets: readonly string[]): ValidationResult {
  return {
    outcome: "unreachable",
    step,
    reason: maskSecretsIn(error.message, secrets).slice(0, 300) || error.kind,
    host: error.host,
  };
}

type Attempt = { response: GuardedResponse } | { failed: ValidationResult };

/** Creates an OpenAI(-style) adapter. */
export function createOpenAIAdapter(options: OpenAIAdapterOptions = {}): ProviderAdapter {
  const fetcher = options.fetch ?? guardedFetch;
  const defaultApiHost = options.defaultApiHost ?? "https://api.openai.com/v1";
  const defaultPath = options.defaultPath ?? "/v1";

  return {
    async validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
      const apiKey = config.secrets.apiKey?.trim() || undefined;
      const secrets = Object.values(config.secrets).filter(Boolean);
      const base = normalizeBaseUrl(config.apiHost.trim() || defaultApiHost, defaultPath);
      const host = hostOf(base);
      const model = config.model.trim();
      const timeoutMs = options.requestTimeoutMs ?? env.PROVIDER_REQUEST_TIMEOUT_MS;

      const call = async (step: ValidationStep, path: string, body?: unknown): Promise<Attempt> => {
        try {
          const response = await fetcher(apiUrl(base, path), {
            method: body === undefined ? "GET" : "POST",
            headers: bearerHeaders(apiKey),
            body: body === undefined ? undefined : JSON.stringify(body),
            timeoutMs,
            signal,
          });
          return { response };
        } catch (error) {
          if (error instanceof OutboundError) return { failed: { ...unreachableResult(error, step, secrets), host: error.host || host } };
          throw error;
        }
      };
      const verdict = (response: GuardedResponse, step: ValidationStep): StepVerdict =>
        classifyOpenAI(response.status, response.text, step, { secrets, truncated: response.truncated });

      // 1. Key: list models (spends nothing).
      const listed = await call("key", "/models");
      if ("failed" in listed) return listed.failed;
      const keyVerdict = verdict(listed.response, "key");
      if (keyVerdict.outcome !== "valid") return { ...keyVerdict, host };
      const models = listed.response.truncated
        ? salvageModelIds(listed.response.text, MAX_MODELS)
        : (listModelIds(parseJsonBody(listed.response.text))?.slice(0, MAX_MODELS) ?? []);
      const finish = (result: StepVerdict | ValidationResult): ValidationResult => ({ host, ...result, models });

      // 2. Model: in the list, else ask for it by id.
      if (!model) return finish({ outcome: "invalid_model", step: "model" });
      if (!models.includes(model)) {
        const fetched = await call("model", `/models/${encodeURIComponent(model)}`);
        if ("failed" in fetched) return finish(fetched.failed);
        const modelVerdict = verdict(fetched.response, "model");
        if (modelVerdict.outcome !== "valid") return finish(modelVerdict);
      }

      // 3. Invocation: one short message, one token; newer models want max_completion_tokens.
      const messages = [{ role: "user", content: PROBE_MESSAGE }];
      let invoked = await call("invocation", "/chat/completions", { model, messages, max_tokens: 1 });
      if ("response" in invoked && wantsMaxCompletionTokens(invoked.response.status, invoked.response.text)) {
        invoked = await call("invocation", "/chat/completions", { model, messages, max_completion_tokens: 1 });
      }
      if ("failed" in invoked) return finish(invoked.failed);
      return finish(verdict(invoked.response, "invocation"));
    },
  };
}

export const openaiAdapter: ProviderAdapter = createOpenAIAdapter();
