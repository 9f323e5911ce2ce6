/**
 * MiniMax adapter. MiniMax has no model-list endpoint, so validation is ONE request: a 1-token
 * `POST /chat/completions` that decides key, model and quota at once (errors often arrive as
 * HTTP 200 with a non-zero `base_resp`, see minimax-classify.ts).
 */
import "server-only";
import { env } from "@/lib/env";
import { guardedFetch } from "@/lib/net/guarded-fetch";
import { OutboundError, type GuardedResponse } from "@/lib/net/types";
import { classifyMiniMax, miniMaxToolSupport } from "./minimax-classify";
import { unreachableResult, type FetchLike } from "./openai";
import { apiUrl, bearerHeaders, hostOf, normalizeBaseUrl } from "./openai-style";
import { toolProbeBody } from "./openai-tools";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult } from "./types";

export { classifyMiniMax } from "./minimax-classify";

export type MiniMaxAdapterOptions = {
  /** Outbound fetch; the env-configured guarded fetch by default. */
  fetch?: FetchLike;
  /** Per-request timeout; env.PROVIDER_REQUEST_TIMEOUT_MS by default. */
  requestTimeoutMs?: number;
};

const DEFAULT_API_HOST = "https://api.minimax.io/v1";
const PROBE_MESSAGE = "Reply with one word: ok";

type Target = { url: string; host: string; apiKey: string | undefined; secrets: string[]; model: string };

function targetOf(config: CredentialConfig): Target {
  const base = normalizeBaseUrl(config.apiHost.trim() || DEFAULT_API_HOST, "/v1");
  return {
    url: apiUrl(base, "/chat/completions"),
    host: hostOf(base),
    apiKey: config.secrets.apiKey?.trim() || undefined,
    secrets: Object.values(config.secrets).filter(Boolean),
    model: config.model.trim(),
  };
}

/** Creates the MiniMax adapter. */
export function createMiniMaxAdapter(options: MiniMaxAdapterOptions = {}): ProviderAdapter {
  const fetcher = options.fetch ?? guardedFetch;
  const post = (target: Target, body: unknown, signal: AbortSignal): Promise<GuardedResponse> =>
    fetcher(target.url, {
      method: "POST",
      headers: bearerHeaders(target.apiKey),
      body: JSON.stringify(body),
      timeoutMs: options.requestTimeoutMs ?? env.PROVIDER_REQUEST_TIMEOUT_MS,
      signal,
    });

  return {
    async validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
      const target = targetOf(config);
      let response: GuardedResponse;
      try {
        const messages = [{ role: "user", content: PROBE_MESSAGE }];
        response = await post(target, { model: target.model, messages, max_tokens: 1 }, signal);
      } catch (error) {
        if (error instanceof OutboundError) return { ...unreachableResult(error, "key", target.secrets), host: error.host || target.host };
        throw error;
      }
      const verdict = classifyMiniMax(response.status, response.text, { secrets: target.secrets, truncated: response.truncated });
      // Without a model the request still reports a bad key first; otherwise the model is the problem.
      if (!target.model && verdict.outcome !== "invalid_key") {
        return { outcome: "invalid_model", step: "model", httpStatus: verdict.httpStatus, host: target.host, providerMessage: "No model name was given." };
      }
      return { ...verdict, host: target.host };
    },

    // No list endpoint (`GET /v1/models` is a plain-text 404): the catalog's names are used.
    listModels(): Promise<string[] | null> {
      return Promise.resolve(null);
    },

    async checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
      const target = targetOf(config);
      if (!target.model) return "unknown";
      try {
        const response = await post(target, toolProbeBody(target.model, "auto", "max_tokens"), signal);
        return miniMaxToolSupport(response.status, response.text, response.truncated);
      } catch {
        return "unknown";
      }
    },
  };
}

export const minimaxAdapter: ProviderAdapter = createMiniMaxAdapter();
