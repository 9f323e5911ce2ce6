/**
 * OpenAI Compatible at `/compatible` (API Host `…/compatible/v1`), answering like a local vLLM
 * server: no key needed (a key is accepted; one containing `bad` is refused), and vLLM's / FastAPI's
 * own error shapes rather than OpenAI's.
 */
import { json } from "../replies";
import { openAiError, openAiStyleProvider, type OpenAiStyleErrors } from "./openai-style";

/** vLLM's flat error object: `{"object":"error","message","type","param","code":<status>}`. */
function vllmError(status: number, message: string, type: string) {
  return json(status, { object: "error", message, type, param: null, code: status });
}

const errors: OpenAiStyleErrors = {
  missingKey: () => json(401, { error: "Unauthorized" }),
  invalidKey: () => json(401, { error: "Unauthorized" }),
  modelNotFound: (model) => vllmError(404, `The model \`${model}\` does not exist.`, "NotFoundError"),
  // Hosted OpenAI-compatible services (xAI, Together, …) use OpenAI's quota error.
  quotaExceeded: () =>
    openAiError(
      429,
      "You exceeded your current quota, please check your plan and billing details.",
      "insufficient_quota",
      "insufficient_quota",
    ),
  rateLimited: () =>
    openAiError(429, "Rate limit exceeded: 10 requests per minute.", "rate_limit_error", "rate_limit_exceeded", null, {
      "retry-after": "6",
    }),
  overloaded: () => vllmError(503, "The server is overloaded. Please try again later.", "ServiceUnavailableError"),
  invalidJson: () => vllmError(400, "JSON decode error: Expecting value: line 1 column 1 (char 0)", "BadRequestError"),
  invalidRequest: (message) => vllmError(400, message, "BadRequestError"),
  unknownUrl: () => json(404, { detail: "Not Found" }),
  wrongMethod: (_method, _path, allowed) => json(405, { detail: "Method Not Allowed" }, { allow: allowed }),
};

export const openAiCompatible = openAiStyleProvider({
  id: "openai-compatible",
  mount: "/compatible",
  apiHostPath: "/compatible/v1",
  bases: ["/v1"],
  keyRequired: false,
  models: [
    { id: "meta-llama/Llama-3.1-8B-Instruct", created: 1746000000, owned_by: "vllm" },
    { id: "Qwen/Qwen2.5-Coder-7B-Instruct", created: 1746000000, owned_by: "vllm" },
  ],
  retrieveModel: false,
  errors,
});
