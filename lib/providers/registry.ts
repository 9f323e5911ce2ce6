/** Which providers have a validation adapter. OpenAI only for now; others follow its pattern. */
import "server-only";
import { openaiAdapter } from "./openai";
import type { ProviderAdapter, ProviderId } from "./types";

const ADAPTERS: Partial<Record<ProviderId, ProviderAdapter>> = {
  openai: openaiAdapter,
};

/** The validation adapter for a provider, or undefined when it has none yet. */
export function getAdapter(id: string): ProviderAdapter | undefined {
  return Object.hasOwn(ADAPTERS, id) ? ADAPTERS[id as ProviderId] : undefined;
}
