/** OpenAI through the gateway: the OpenAI-style paths, Bearer auth, base `…/v1`. */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { normalizeBaseUrl } from "@/lib/providers/openai-family/style";

export const openaiGateway: GatewaySpec = openAIStyleGateway((host) => normalizeBaseUrl(host || "https://api.openai.com/v1", "/v1"));
