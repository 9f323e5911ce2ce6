/**
 * Z.ai at `/zai` (API Host `…/zai/api/coding/paas/v4`, the GLM Coding Plan; pay-as-you-go
 * `…/zai/api/paas/v4` too). Z.ai's envelope `{"error":{"code":"<string>","message"}}` with its
 * business codes: 1001 no key, 401 bad key, 1211 unknown model, 429 1113 no balance (not a rate
 * limit), 429 1302 concurrency. `GET /models` lists (404 for keys containing `nolist`); only
 * `tool_choice: "auto"` is accepted; `notools` keys get a plain answer. The `thinking` field is not
 * checked: the request log keeps the body for tests to assert on.
 */
import { json } from "../replies";
import type { Reply } from "../types";
import { openAiStyleProvider, type OpenAiStyleErrors } from "./openai-style";

/** `{"error":{"code":"1211","message":"…"}}`: string codes, no type or param. */
export function zaiError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error: { code, message } }, headers);
}

// Z.ai's gateway answers an unknown path in Spring's shape.
function notFound(status: number, error: string, path: string): Reply {
  return json(status, { timestamp: new Date().toISOString(), status, error, path });
}

const errors: OpenAiStyleErrors = {
  missingKey: () => zaiError(401, "1001", "Authentication parameter not received in Header, unable to authenticate"),
  invalidKey: () => zaiError(401, "401", "token expired or incorrect"),
  modelNotFound: () => zaiError(400, "1211", "Unknown Model, please check the model code."),
  quotaExceeded: () => zaiError(429, "1113", "Insufficient balance or no resource package. Please recharge."),
  rateLimited: () =>
    zaiError(429, "1302", "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits"),
  overloaded: () => zaiError(503, "1305", "The service may be temporarily overloaded, please try again later"),
  invalidJson: () => zaiError(400, "1210", "Incorrect API call parameters, please check the documentation"),
  invalidRequest: (message) => zaiError(400, "1214", message),
  unknownUrl: (_method, path) => notFound(404, "Not Found", path),
  wrongMethod: (_method, path) => notFound(405, "Method Not Allowed", path),
};

export const zai = openAiStyleProvider({
  id: "zai",
  mount: "/zai",
  apiHostPath: "/zai/api/coding/paas/v4",
  bases: ["/api/coding/paas/v4", "/api/paas/v4"],
  keyRequired: true,
  models: [
    { id: "glm-4.7", created: 1766000000, owned_by: "z-ai" },
    { id: "glm-4.6", created: 1759000000, owned_by: "z-ai" },
    { id: "glm-4.5", created: 1753000000, owned_by: "z-ai" },
    { id: "glm-4.5-air", created: 1753000000, owned_by: "z-ai" },
  ],
  retrieveModel: false,
  errors,
  tools: {
    choices: ["auto"],
    rejectChoice: () => zaiError(400, "1214", "Invalid tool_choice parameter. Please check the documentation"),
  },
});
