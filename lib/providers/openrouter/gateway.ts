/** OpenRouter through the gateway: OpenAI-style; model ids are `vendor/model` (`key`, credits, … are not forwarded). */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { openRouterBaseUrl } from "@/lib/providers/openrouter/adapter";

export const openrouterGateway: GatewaySpec = openAIStyleGateway((host) => openRouterBaseUrl(host || "https://openrouter.ai/api/v1"), {
  modelIdSegments: 2,
});
