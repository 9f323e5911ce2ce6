/** MiniMax through the gateway: OpenAI-style. */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { normalizeBaseUrl } from "@/lib/providers/openai-family/style";

export const minimaxGateway: GatewaySpec = openAIStyleGateway((host) => normalizeBaseUrl(host || "https://api.minimax.io/v1", "/v1"));
