/** Qwen (DashScope compatible mode) through the gateway: OpenAI-style. */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { normalizeBaseUrl } from "@/lib/providers/openai-family/style";
import { QWEN_DEFAULT_API_HOST } from "@/lib/providers/qwen/adapter";

export const qwenGateway: GatewaySpec = openAIStyleGateway((host) =>
  normalizeBaseUrl(host || QWEN_DEFAULT_API_HOST, "/compatible-mode/v1"),
);
