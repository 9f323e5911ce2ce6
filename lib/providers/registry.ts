/**
 * Every provider's validation adapter (server only). Total over ProviderId: a provider without an
 * adapter fails `tsc`. A new provider adds one line here and one in catalog.ts.
 */
import "server-only";
import { anthropicAdapter } from "./anthropic/adapter";
import { azureAdapter } from "./azure/adapter";
import { bedrockAdapter } from "./bedrock/adapter";
import { deepseekAdapter } from "./deepseek/adapter";
import { geminiAdapter } from "./gemini/adapter";
import { minimaxAdapter } from "./minimax/adapter";
import { openaiCompatibleAdapter } from "./openai-compatible/adapter";
import { openaiAdapter } from "./openai/adapter";
import { openrouterAdapter } from "./openrouter/adapter";
import { qwenAdapter } from "./qwen/adapter";
import { isProviderId, type ProviderAdapter, type ProviderId } from "./types";
import { zaiAdapter } from "./zai/adapter";

const ADAPTERS: Record<ProviderId, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  openrouter: openrouterAdapter,
  qwen: qwenAdapter,
  deepseek: deepseekAdapter,
  minimax: minimaxAdapter,
  zai: zaiAdapter,
  azure: azureAdapter,
  bedrock: bedrockAdapter,
  "openai-compatible": openaiCompatibleAdapter,
};

/** The validation adapter for a provider id; undefined only for a string that is no provider id. */
export function getAdapter(id: ProviderId): ProviderAdapter;
export function getAdapter(id: string): ProviderAdapter | undefined;
export function getAdapter(id: string): ProviderAdapter | undefined {
  return isProviderId(id) ? ADAPTERS[id] : undefined;
}
