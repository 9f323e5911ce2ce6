/**
 * DeepSeek at `/deepseek` (API Host `…/deepseek`, `…/deepseek/v1` works too), with `GET /user/balance`
 * (empty for `quota` keys). A `notools` key offering tools gets 400 "<model> does not support Function
 * Calling", as deepseek-reasoner answered before it took tools.
 */
import { json } from "../replies";
import { openAiError, openAiStyleProvider, type OpenAiStyleErrors } from "./openai-style";

/** How DeepSeek echoes a wrong key: four stars and the last four characters (`****_KEY`). */
export function maskLikeDeepSeek(key: string): string {
  return `****${key.slice(-4)}`;
}

// DeepSeek's envelope: OpenAI's, with `code` nearly always "invalid_request_error".
const CODE = "invalid_request_error";

const errors: OpenAiStyleErrors = {
  missingKey: () => openAiError(401, "Authentication Fails (auth header format should be Bearer sk-...)", "authentication_error", CODE),
  invalidKey: (key) =>
    openAiError(401, `Authentication Fails, Your api key: ${maskLikeDeepSeek(key)} is invalid`, "authentication_error", CODE),
  modelNotFound: () => openAiError(400, "Model Not Exist", "invalid_request_error", CODE),
  quotaExceeded: () => openAiError(402, "Insufficient Balance", "unknown_error", CODE),
  rateLimited: () => openAiError(429, "Rate Limit Reached", "rate_limit_error", CODE),
  overloaded: () => openAiError(503, "Server Overloaded", "server_error", CODE),
  invalidJson: () =>
    openAiError(400, "Failed to parse the request body as JSON: expected value at line 1 column 1", "invalid_request_error", CODE),
  // DeepSeek answers body-shape problems with 422 "Failed to deserialize the JSON body…".
  invalidRequest: (message) =>
    openAiError(422, `Failed to deserialize the JSON body into the target type: ${message}`, "invalid_request_error", CODE),
  unknownUrl: () => openAiError(404, "Not Found", "invalid_request_error", CODE),
  wrongMethod: (_method, _path, allowed) => openAiError(405, "Method Not Allowed", "invalid_request_error", CODE, null, { allow: allowed }),
};

export const deepseek = openAiStyleProvider({
  id: "deepseek",
  mount: "/deepseek",
  apiHostPath: "/deepseek",
  bases: ["", "/v1"],
  keyRequired: true,
  // DeepSeek's list has no `created`.
  models: [
    { id: "deepseek-chat", owned_by: "deepseek" },
    { id: "deepseek-reasoner", owned_by: "deepseek" },
  ],
  retrieveModel: false,
  errors,
  tools: {
    unsupported: (model) => openAiError(400, `${model} does not support Function Calling`, "invalid_request_error", CODE),
  },
  extraRoutes: {
    "/user/balance": {
      method: "GET",
      run: ({ scenario }) => {
        const empty = scenario.has("quota");
        const amount = (value: string) => (empty ? "0.00" : value);
        return json(200, {
          is_available: !empty,
          balance_infos: [
            {
              currency: "CNY",
              total_balance: amount("110.00"),
              granted_balance: amount("10.00"),
              topped_up_balance: amount("100.00"),
            },
          ],
        });
      },
    },
  },
});
