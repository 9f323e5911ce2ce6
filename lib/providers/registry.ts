/**
 * Every provider's server-side pieces: its validation adapter and its gateway behaviour. Total over
 * ProviderId, so a provider missing a piece fails `tsc`. A new provider is one folder
 * (card.ts, adapter.ts, gateway.ts, index.ts) plus one line here and one in catalog.ts.
 */
import "server-only";
import type { GatewayFamily, GatewaySpec } from "@/lib/gateway/types";
import { anthropicProvider } from "./anthropic";
import { azureProvider } from "./azure";
import { bedrockProvider } from "./bedrock";
import { deepseekProvider } from "./deepseek";
import { geminiProvider } from "./gemini";
import { minimaxProvider } from "./minimax";
import { openaiProvider } from "./openai";
import { openaiCompatibleProvider } from "./openai-compatible";
import { openrouterProvider } from "./openrouter";
import { qwenProvider } from "./qwen";
import { zaiProvider } from "./zai";
import { isProviderId, type ProviderAdapter, type ProviderId, type ServerProvider } from "./types";

const SERVER_PROVIDERS: Record<ProviderId, ServerProvider> = {
  openai: openaiProvider,
  anthropic: anthropicProvider,
  gemini: geminiProvider,
  openrouter: openrouterProvider,
  qwen: qwenProvider,
  deepseek: deepseekProvider,
  minimax: minimaxProvider,
  zai: zaiProvider,
  azure: azureProvider,
  bedrock: bedrockProvider,
  "openai-compatible": openaiCompatibleProvider,
};

/** The validation adapter for a provider id; undefined only for a string that is no provider id. */
export function getAdapter(id: ProviderId): ProviderAdapter;
export function getAdapter(id: string): ProviderAdapter | undefined;
export function getAdapter(id: string): ProviderAdapter | undefined {
  return isProviderId(id) ? SERVER_PROVIDERS[id].adapter : undefined;
}

/** How the gateway forwards to a provider: allowed paths, upstream URL, auth, usage. */
export function getGatewaySpec(id: ProviderId): GatewaySpec {
  return SERVER_PROVIDERS[id].gateway;
}

/** Each provider's gateway protocol family (profile failover stays within one). */
const GATEWAY_FAMILIES: Record<ProviderId, GatewayFamily> = {
  openai: "openai",
  openrouter: "openai",
  qwen: "openai",
  deepseek: "openai",
  minimax: "openai",
  zai: "openai",
  "openai-compatible": "openai",
  anthropic: "anthropic",
  // BYOK's Gemini is Google's OpenAI-compatible endpoint, but its own family: other keys, other model names.
  gemini: "gemini",
  azure: "azure",
  bedrock: "bedrock",
};

export function gatewayFamily(id: ProviderId): GatewayFamily {
  return GATEWAY_FAMILIES[id];
}
