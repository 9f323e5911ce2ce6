/**
 * Qwen (Alibaba DashScope, OpenAI-compatible mode) at `/qwen` (API Host `…/qwen/compatible-mode/v1`,
 * the Beijing region; `…/qwen/intl/compatible-mode/v1` stands in for dashscope-intl). Keys are
 * regional: a key containing `intl` is an international key, refused (401 invalid_api_key) on the
 * Beijing host, and every other key is refused on the international one. `tool_choice: "required"`
 * is refused (DashScope takes "auto", "none" or a named function); `notools` keys get a plain answer.
 */
import { randomUUID } from "node:crypto";
import { json } from "../replies";
import type { Reply } from "../types";
import { keyHas, openAiStyleProvider, type OpenAiStyleErrors } from "./openai-style";

const DOCS = "For details, see: https://help.aliyun.com/zh/model-studio/error-code";

/** DashScope's compatible mode: OpenAI's envelope plus a top-level `request_id`. */
function dashScopeError(status: number, message: string, type: string, code: string | null, param: string | null = null): Reply {
  const requestId = randomUUID();
  return json(status, { error: { message, type, param, code }, request_id: requestId }, { "x-request-id": requestId });
}

const errors: OpenAiStyleErrors = {
  missingKey: () =>
    dashScopeError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). ",
      "invalid_request_error",
      "invalid_api_key",
    ),
  // Never echoes the key (unlike OpenAI). Also what a key from another region gets.
  invalidKey: () => dashScopeError(401, `Incorrect API key provided. ${DOCS}#apikey-error`, "invalid_request_error", "invalid_api_key"),
  modelNotFound: (model) =>
    dashScopeError(
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      "invalid_request_error",
      "model_not_found",
    ),
  quotaExceeded: () =>
    dashScopeError(
      429,
      `You exceeded your current quota, please check your plan and billing details. ${DOCS}#token-limit`,
      "insufficient_quota",
      "insufficient_quota",
    ),
  rateLimited: () => dashScopeError(429, "Requests rate limit exceeded, please try again later.", "limit_requests", "Throttling.RateQuota"),
  overloaded: () => dashScopeError(503, "The server is overloaded, please try again later.", "service_unavailable", "ServiceUnavailable"),
  invalidJson: () => dashScopeError(400, "The request body is not a valid JSON.", "invalid_request_error", "invalid_parameter_error"),
  invalidRequest: (message, param) => dashScopeError(400, message, "invalid_request_error", "invalid_parameter_error", param),
  unknownUrl: (method, path) => dashScopeError(404, `Requested URL not found (${method} ${path}).`, "invalid_request_error", "NotFound"),
  wrongMethod: (method, path) =>
    dashScopeError(405, `Method not allowed (${method} ${path}).`, "invalid_request_error", "MethodNotAllowed"),
};

export const qwen = openAiStyleProvider({
  id: "qwen",
  mount: "/qwen",
  apiHostPath: "/qwen/compatible-mode/v1",
  bases: ["/compatible-mode/v1", "/intl/compatible-mode/v1"],
  keyRequired: true,
  models: [
    { id: "qwen-plus", created: 1745299770, owned_by: "system" },
    { id: "qwen-max", created: 1745299770, owned_by: "system" },
    { id: "qwen-turbo", created: 1745299770, owned_by: "system" },
    { id: "qwen-flash", created: 1753689600, owned_by: "system" },
    { id: "qwen3-coder-plus", created: 1753171200, owned_by: "system" },
  ],
  retrieveModel: true,
  errors,
  authorize: ({ scenario, base }) => {
    const intlHost = base.startsWith("/intl/");
    return scenario.key !== undefined && keyHas(scenario, "intl") !== intlHost ? errors.invalidKey(scenario.key) : undefined;
  },
  tools: {
    choices: ["auto", "none"],
    rejectChoice: (value) =>
      dashScopeError(
        400,
        `'tool_choice' must be "auto", "none" or an object naming a function, got "${value.slice(0, 50)}".`,
        "invalid_request_error",
        "invalid_parameter_error",
        "tool_choice",
      ),
  },
});
