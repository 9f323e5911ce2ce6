/** DeepSeek through the gateway: OpenAI-style (`user/balance` is not forwarded). */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { DEEPSEEK_DEFAULT_API_HOST } from "@/lib/providers/deepseek/adapter";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { normalizeBaseUrl } from "@/lib/providers/openai-family/style";

export const deepseekGateway: GatewaySpec = openAIStyleGateway((host) => normalizeBaseUrl(host || DEEPSEEK_DEFAULT_API_HOST, ""));
