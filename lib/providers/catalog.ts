/**
 * The eleven providers BYOK knows, in card order (PROVIDER_IDS): names, hosts, fields and model
 * suggestions, each from its folder's card.ts. Total over ProviderId: a provider without a card
 * fails `tsc`. Imported by client components too, so it stays free of server-only code.
 */
import { anthropicCard } from "./anthropic/card";
import { azureCard } from "./azure/card";
import { bedrockCard } from "./bedrock/card";
import { deepseekCard } from "./deepseek/card";
import { geminiCard } from "./gemini/card";
import { minimaxCard } from "./minimax/card";
import { openaiCompatibleCard } from "./openai-compatible/card";
import { openaiCard } from "./openai/card";
import { openrouterCard } from "./openrouter/card";
import { qwenCard } from "./qwen/card";
import { PROVIDER_IDS, type ProviderDefinition, type ProviderId } from "./types";
import { zaiCard } from "./zai/card";

// Keyed by id, and each card's own id must match its key.
const CARDS: { [Id in ProviderId]: ProviderDefinition<Id> } = {
  openai: openaiCard,
  anthropic: anthropicCard,
  gemini: geminiCard,
  openrouter: openrouterCard,
  qwen: qwenCard,
  deepseek: deepseekCard,
  minimax: minimaxCard,
  zai: zaiCard,
  azure: azureCard,
  bedrock: bedrockCard,
  "openai-compatible": openaiCompatibleCard,
};

export const PROVIDERS: readonly ProviderDefinition[] = PROVIDER_IDS.map((id): ProviderDefinition => CARDS[id]);

/** The catalog entry for a provider id, or undefined for a string that is no provider id. */
export function getProvider(id: ProviderId): ProviderDefinition;
export function getProvider(id: string): ProviderDefinition | undefined;
export function getProvider(id: string): ProviderDefinition | undefined {
  return Object.hasOwn(CARDS, id) ? CARDS[id as ProviderId] : undefined;
}

/** Names of the fields that are secret (encrypted, write-only), in card order. */
export function secretFieldNames(def: ProviderDefinition): string[] {
  return def.fields.filter((field) => field.secret).map((field) => field.name);
}
