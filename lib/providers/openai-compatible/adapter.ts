/**
 * OpenAI Compatible (xAI, vLLM, LM Studio, Ollama's /v1, …) on the user's host. The key is optional
 * (no Authorization header without one); `GET /models` is optional (a server without it falls
 * through to the 1-token call, which decides); a model missing from the list is still tried
 * (Ollama lists `llama3.2:latest` and accepts `llama3.2`).
 */
import "server-only";
import { createOpenAIAdapter, type OpenAIAdapterOptions } from "../openai-family/adapter";
import { classifyOpenAI, type Classifier } from "../openai-family/classify";
import { extractError, parseJsonBody, providerMessageOf } from "../openai-family/style";
import type { ProviderAdapter } from "../types";

const MENTIONS_MODEL = /model/i;

/**
 * classifyOpenAI, except that a 404 from the chat call is invalid_model only when the body talks
 * about a model (vLLM's `{"object":"error","message":"The model … does not exist."}`, Ollama's
 * `{"error":"model \"x\" not found, …"}`); a bare 404 (`{"detail":"Not Found"}`, `404 page not
 * found`, HTML) means the API Host path is wrong → provider_error.
 */
export const classifyOpenAICompatible: Classifier = (status, bodyText, step, options = {}) => {
  const verdict = classifyOpenAI(status, bodyText, step, options);
  if (status !== 404 || step !== "invocation" || verdict.outcome !== "invalid_model") return verdict;
  const body = parseJsonBody(bodyText, options.truncated ?? false);
  const error = extractError(body);
  const text = [providerMessageOf(error.message, body, bodyText), error.code, error.type].join(" ");
  return MENTIONS_MODEL.test(text) ? verdict : { ...verdict, outcome: "provider_error" };
};

/** The OpenAI Compatible adapter; options as for createOpenAIAdapter (tests inject fetch and timeouts). */
export function createOpenAICompatibleAdapter(options: Pick<OpenAIAdapterOptions, "fetch" | "requestTimeoutMs"> = {}): ProviderAdapter {
  return createOpenAIAdapter({
    ...options,
    // No default host: the user's server. A bare origin gets /v1, where these servers answer.
    defaultApiHost: "",
    defaultPath: "/v1",
    modelList: "optional",
    unlistedModel: "invoke",
    classify: classifyOpenAICompatible,
  });
}

export const openaiCompatibleAdapter: ProviderAdapter = createOpenAICompatibleAdapter();
