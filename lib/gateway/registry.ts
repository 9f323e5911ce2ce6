/** Each provider's gateway behaviour: total over ProviderId, so a provider without one fails tsc. */
import "server-only";
import { anthropicGateway } from "@/lib/providers/anthropic/gateway";
import { azureGateway } from "@/lib/providers/azure/gateway";
import { bedrockGateway } from "@/lib/providers/bedrock/gateway";
import { deepseekGateway } from "@/lib/providers/deepseek/gateway";
import { geminiGateway } from "@/lib/providers/gemini/gateway";
import { minimaxGateway } from "@/lib/providers/minimax/gateway";
import { openaiCompatibleGateway } from "@/lib/providers/openai-compatible/gateway";
import { openaiGateway } from "@/lib/providers/openai/gateway";
import { openrouterGateway } from "@/lib/providers/openrouter/gateway";
import { qwenGateway } from "@/lib/providers/qwen/gateway";
import { zaiGateway } from "@/lib/providers/zai/gateway";
import type { ProviderId } from "@/lib/providers/types";
import type { GatewaySpec } from "./types";

export const GATEWAY_SPECS: Record<ProviderId, GatewaySpec> = {
  openai: openaiGateway,
  anthropic: anthropicGateway,
  gemini: geminiGateway,
  openrouter: openrouterGateway,
  qwen: qwenGateway,
  deepseek: deepseekGateway,
  minimax: minimaxGateway,
  zai: zaiGateway,
  azure: azureGateway,
  bedrock: bedrockGateway,
  "openai-compatible": openaiCompatibleGateway,
};
