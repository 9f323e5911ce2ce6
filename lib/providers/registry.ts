/** Which providers have a validation adapter. OpenAI only for now; others follow its pattern. */
import "server-only";
import { anthropicAdapter } from "./anthropic";
import { azureAdapter } from "./azure";
import { bedrockAdapter } from "./bedrock";
import { deepseekAdapter } from "./deepseek";
import { geminiAdapter } from "./gemini";
import { minimaxAdapter } from "./minimax";
import { openaiAdapter } from "./openai";
import { openaiCompatibleAdapter } from "./openai-compatible";
import { openrouterAdapter } from "./openrouter";
import { qwenAdapter } from "./qwen";
import { zaiAdapter } from "./zai";
import type { ProviderAdapter, ProviderId } from "./types";

const ADAPTERS: Partial<Record<ProviderId, ProviderAdapter>> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  openrouter: openrouterAdapter,
  qwen: qwenAdapter,
  deepseek: deepseekAdapter,
  zai: zaiAdapter,
  "openai-compatible": openaiCompatibleAdapter,
  minimax: minimaxAdapter,
  azure: azureAdapter,
  bedrock: bedrockAdapter,
};

/** The validation adapter for a provider, or undefined when it has none yet. */
export function getAdapter(id: string): ProviderAdapter | undefined {
  return Object.hasOwn(ADAPTERS, id) ? ADAPTERS[id as ProviderId] : undefined;
}
