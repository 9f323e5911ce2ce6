/**
 * Anthropic through the gateway: `v1/messages`, `v1/messages/count_tokens`, `v1/models[/<id>]`
 * on the API root (stored host without `/v1`); `x-api-key`, and `anthropic-version` when the
 * agent sent none.
 */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { ANTHROPIC_VERSION, anthropicBaseUrl } from "@/lib/providers/anthropic/adapter";
import { joinSegments } from "@/lib/providers/openai-family/gateway";

export const anthropicGateway: GatewaySpec = {
  route(segments) {
    const joined = segments.join("/");
    if (joined === "v1/messages" || joined === "v1/messages/count_tokens")
      return { path: joinSegments(segments), method: "POST", model: null, askUsage: false };
    if (joined === "v1/models" || (segments.length === 3 && segments[0] === "v1" && segments[1] === "models")) {
      return { path: joinSegments(segments), method: "GET", model: null, askUsage: false };
    }
    return null;
  },
  url: (credential, route, search) => `${anthropicBaseUrl(credential.apiHost || "https://api.anthropic.com")}${route.path}${search}`,
  auth(credential, _request, incoming) {
    const headers: Record<string, string> = { "x-api-key": credential.secrets.apiKey ?? "" };
    if (!incoming.get("anthropic-version")) headers["anthropic-version"] = ANTHROPIC_VERSION;
    return headers;
  },
};
