/**
 * OpenAI Compatible at `/compatible`, three local servers behind one mount. No key needed (a key is
 * accepted; one containing `bad` is refused):
 * - `…/compatible/v1`: vLLM, with vLLM's / FastAPI's own error shapes rather than OpenAI's;
 * - `…/compatible/ollama/v1` (or a key containing `ollama`): Ollama, `{"error":"…"}` bodies, Go's
 *   plain-text 404, `llama3.2` accepted for `llama3.2:latest`;
 * - `…/compatible/nolist/v1` (or a key containing `nolist`): vLLM without `GET /models` (404).
 * `notools` keys offering tools get each server's "does not support tools" error.
 */
import { json, text } from "../replies";
import { bearerKey } from "../request";
import type { EmulatedProvider } from "../types";
import { openAiError, openAiStyleProvider, type OpenAiStyleErrors, type OpenAiStyleSpec } from "./openai-style";

/** vLLM's flat error object: `{"object":"error","message","type","param","code":<status>}`. */
function vllmError(status: number, message: string, type: string) {
  return json(status, { object: "error", message, type, param: null, code: status });
}

const vllmErrors: OpenAiStyleErrors = {
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

const ollamaError = (status: number, message: string) => json(status, { error: message });

const ollamaErrors: OpenAiStyleErrors = {
  ...vllmErrors,
  modelNotFound: (model) => ollamaError(404, `model "${model}" not found, try pulling it first`),
  overloaded: () => ollamaError(503, "server busy, please try again. maximum pending requests exceeded"),
  invalidJson: () => ollamaError(400, "invalid character 'x' looking for beginning of value"),
  invalidRequest: (message) => ollamaError(400, message),
  unknownUrl: () => text(404, "404 page not found"),
  wrongMethod: () => text(405, "405 method not allowed"),
};

const vllmModels = [
  { id: "meta-llama/Llama-3.1-8B-Instruct", created: 1746000000, owned_by: "vllm" },
  { id: "Qwen/Qwen2.5-Coder-7B-Instruct", created: 1746000000, owned_by: "vllm" },
];

const vllmSpec: OpenAiStyleSpec = {
  id: "openai-compatible",
  mount: "/compatible",
  apiHostPath: "/compatible/v1",
  bases: ["/v1"],
  keyRequired: false,
  models: vllmModels,
  retrieveModel: false,
  errors: vllmErrors,
  tools: {
    unsupported: () =>
      vllmError(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', "BadRequestError"),
  },
};

const vllm = openAiStyleProvider(vllmSpec);
const noList = openAiStyleProvider({ ...vllmSpec, bases: ["/nolist/v1"], modelList: false });
const ollama = openAiStyleProvider({
  ...vllmSpec,
  bases: ["/ollama/v1", "/v1"],
  models: [
    { id: "llama3.2:latest", created: 1746000000, owned_by: "library" },
    { id: "qwen2.5:7b", created: 1746000000, owned_by: "library" },
  ],
  modelAliases: { "llama3.2": "llama3.2:latest" },
  errors: ollamaErrors,
  tools: { unsupported: (model) => ollamaError(400, `registry.ollama.ai/library/${model} does not support tools`) },
});

export const openAiCompatible: EmulatedProvider = {
  id: "openai-compatible",
  mount: "/compatible",
  apiHostPath: "/compatible/v1",
  credential: bearerKey,
  handle(request) {
    const key = bearerKey(request.headers)?.toLowerCase() ?? "";
    if (request.path.startsWith("/ollama/") || key.includes("ollama")) return ollama.handle(request);
    if (request.path.startsWith("/nolist/")) return noList.handle(request);
    return vllm.handle(request);
  },
};
