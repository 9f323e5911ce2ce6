/** Anthropic's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const anthropicCard: ProviderDefinition<"anthropic"> = {
  id: "anthropic",
  name: "Anthropic",
  description: "Claude models through the Anthropic Messages API.",
  defaultApiHost: "https://api.anthropic.com",
  fields: [apiKeyField(true)],
  keyUrl: "https://console.anthropic.com/settings/keys",
  docsUrl: "https://docs.anthropic.com/en/api/overview",
  defaultModel: "claude-sonnet-4-5",
  suggestedModels: ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5", "claude-sonnet-4-0", "claude-3-5-haiku-latest"],
};
