/** OpenAI Compatible servers through the gateway: OpenAI-style, Bearer only when a key is stored. */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { normalizeBaseUrl } from "@/lib/providers/openai-family/style";

export const openaiCompatibleGateway: GatewaySpec = openAIStyleGateway((host) => normalizeBaseUrl(host, "/v1"));
