/** Z.ai through the gateway: OpenAI-style under `/api/coding/paas/v4` (or the stored path). */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { normalizeBaseUrl } from "@/lib/providers/openai-family/style";
import { ZAI_DEFAULT_API_HOST } from "@/lib/providers/zai/adapter";

export const zaiGateway: GatewaySpec = openAIStyleGateway((host) => normalizeBaseUrl(host || ZAI_DEFAULT_API_HOST, "/api/coding/paas/v4"));
