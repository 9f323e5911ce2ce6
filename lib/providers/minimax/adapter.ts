/**
 * MiniMax adapter. MiniMax has no model-list endpoint, so validation is ONE request: a 1-token
 * `POST /chat/completions` that decides key, model and quota at once (errors often arrive as
 * HTTP 200 with a non-zero `base_resp`, see ./classify.ts).
 */
import "server-only";
import { credentialKeys, jsonClient, type FetchOptions, type JsonClient } from "../http-step";
import { apiUrl, bearerHeaders, hostOf, normalizeBaseUrl } from "../openai-family/style";
import { toolProbeBody } from "../openai-family/tools";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult } from "../types";
import { classifyMiniMax, miniMaxToolSupport } from "./classify";

export { classifyMiniMax } from "./classify";

export type MiniMaxAdapterOptions = FetchOptions;

const DEFAULT_API_HOST = "https://api.minimax.io/v1";
const PROBE_MESSAGE = "Reply with one word: ok";

type Target = { url: string; host: string; secrets: string[]; model: string; http: JsonClient };

/** Creates the MiniMax adapter. */
export function createMiniMaxAdapter(options: MiniMaxAdapterOptions = {}): ProviderAdapter {
  function targetOf(config: CredentialConfig, signal: AbortSignal): Target {
    const base = normalizeBaseUrl(config.apiHost.trim() || DEFAULT_API_HOST, "/v1");
    const host = hostOf(base);
    const { apiKey, secrets } = credentialKeys(config);
    const http = jsonClient({ ...options, signal, headers: bearerHeaders(apiKey), secrets, host });
    return { url: apiUrl(base, "/chat/completions"), host, secrets, model: config.model.trim(), http };
  }

  return {
    async validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
      const target = targetOf(config, signal);
      const messages = [{ role: "user", content: PROBE_MESSAGE }];
      const answered = await target.http.call("key", target.url, { model: target.model, messages, max_tokens: 1 });
      if ("failed" in answered) return answered.failed;
      const { response } = answered;
      const verdict = classifyMiniMax(response.status, response.text, { secrets: target.secrets, truncated: response.truncated });
      // Without a model the request still reports a bad key first; otherwise the model is the problem.
      if (!target.model && verdict.outcome !== "invalid_key") {
        return {
          outcome: "invalid_model",
          step: "model",
          httpStatus: verdict.httpStatus,
          host: target.host,
          providerMessage: "No model name was given.",
        };
      }
      return { ...verdict, host: target.host };
    },

    // No list endpoint (`GET /v1/models` is a plain-text 404): the catalog's names are used.
    listModels(): Promise<string[] | null> {
      return Promise.resolve(null);
    },

    async checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
      const target = targetOf(config, signal);
      if (!target.model) return "unknown";
      try {
        const response = await target.http.send(target.url, toolProbeBody(target.model, "auto", "max_tokens"));
        return miniMaxToolSupport(response.status, response.text, response.truncated);
      } catch {
        return "unknown";
      }
    },
  };
}

export const minimaxAdapter: ProviderAdapter = createMiniMaxAdapter();
