/** OpenAI at `/openai` (API Host `…/openai/v1`): models, chat completions and OpenAI's own error bodies. */
import { openAiError, openAiStyleProvider, type OpenAiStyleErrors } from "./openai-style";

/**
 * How OpenAI echoes a wrong key: first 8 characters, a star for each hidden one, last 4
 * (`sk-proj-****…MxYA`). Keys of 12 characters or fewer come back whole, as OpenAI does (`kk`).
 */
export function maskLikeOpenAi(key: string): string {
  if (key.length <= 12) return key;
  return `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}`;
}

export const openAiErrors: OpenAiStyleErrors = {
  missingKey: () =>
    openAiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
        "(i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the " +
        "API from your browser and are prompted for a username and password. You can obtain an API key from " +
        "https://platform.openai.com/account/api-keys.",
      "invalid_request_error",
      null,
    ),
  invalidKey: (key) =>
    openAiError(
      401,
      `Incorrect API key provided: ${maskLikeOpenAi(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      "invalid_request_error",
      "invalid_api_key",
    ),
  modelNotFound: (model) =>
    openAiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found"),
  quotaExceeded: () =>
    openAiError(
      429,
      "You exceeded your current quota, please check your plan and billing details. For more information on this " +
        "error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
      "insufficient_quota",
      "insufficient_quota",
    ),
  rateLimited: (model) =>
    openAiError(
      429,
      `Rate limit reached for ${model} in organization org-EmUlAt0rOrg0000000000000 on tokens per min (TPM): ` +
        "Limit 30000, Used 29910, Requested 1024. Please try again in 1.868s. Visit " +
        "https://platform.openai.com/account/rate-limits to learn more.",
      "tokens",
      "rate_limit_exceeded",
      null,
      {
        "retry-after": "2",
        "x-ratelimit-limit-tokens": "30000",
        "x-ratelimit-remaining-tokens": "90",
        "x-ratelimit-reset-tokens": "1.868s",
      },
    ),
  overloaded: () => openAiError(503, "The engine is currently overloaded, please try again later.", "server_error", null),
  invalidJson: () =>
    openAiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library " +
        "correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble " +
        "figuring out how to fix this, please contact us through our help center at help.openai.com.)",
      "invalid_request_error",
      null,
    ),
  invalidRequest: (message, param, code) => openAiError(400, message, "invalid_request_error", code, param),
  unknownUrl: (method, path) => openAiError(404, `Invalid URL (${method} ${path})`, "invalid_request_error", null),
  wrongMethod: (method, path, allowed) =>
    openAiError(405, `Invalid method for URL (${method} ${path})`, "invalid_request_error", null, null, {
      allow: allowed,
    }),
};

export const openAiModels = [
  { id: "gpt-4o", created: 1715367049, owned_by: "system" },
  { id: "gpt-4o-mini", created: 1721172741, owned_by: "system" },
  { id: "gpt-4.1", created: 1744316542, owned_by: "system" },
  { id: "gpt-4.1-mini", created: 1744318173, owned_by: "system" },
  { id: "o3-mini", created: 1737146383, owned_by: "system" },
];

export const openai = openAiStyleProvider({
  id: "openai",
  mount: "/openai",
  apiHostPath: "/openai/v1",
  bases: ["/v1"],
  keyRequired: true,
  models: openAiModels,
  retrieveModel: true,
  errors: openAiErrors,
  maxCompletionTokensOnly: ["o3-mini"],
});
