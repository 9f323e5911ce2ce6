/** OpenAI's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const openaiCard: ProviderDefinition<"openai"> = {
  id: "openai",
  name: "OpenAI",
  description: "GPT and o-series models from the OpenAI API.",
  defaultApiHost: "https://api.openai.com/v1",
  fields: [apiKeyField(true)],
  keyUrl: "https://platform.openai.com/api-keys",
  docsUrl: "https://platform.openai.com/docs/api-reference",
  defaultModel: "gpt-4o",
  suggestedModels: ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini"],
};
