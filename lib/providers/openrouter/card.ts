/** OpenRouter's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const openrouterCard: ProviderDefinition<"openrouter"> = {
  id: "openrouter",
  name: "OpenRouter",
  description: "One key for hundreds of models from many vendors.",
  defaultApiHost: "https://openrouter.ai/api/v1",
  fields: [apiKeyField(true)],
  keyUrl: "https://openrouter.ai/settings/keys",
  docsUrl: "https://openrouter.ai/docs/api-reference/overview",
  defaultModel: "openai/gpt-4o-mini",
  suggestedModels: [
    "openai/gpt-4o-mini",
    "openai/gpt-4o",
    "anthropic/claude-sonnet-4.5",
    "google/gemini-2.5-flash",
    "deepseek/deepseek-chat",
    "meta-llama/llama-3.3-70b-instruct",
  ],
};
