/** DeepSeek's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const deepseekCard: ProviderDefinition<"deepseek"> = {
  id: "deepseek",
  name: "DeepSeek",
  description: "DeepSeek chat and reasoning models.",
  defaultApiHost: "https://api.deepseek.com",
  fields: [apiKeyField(true)],
  keyUrl: "https://platform.deepseek.com/api_keys",
  docsUrl: "https://api-docs.deepseek.com/",
  defaultModel: "deepseek-chat",
  suggestedModels: ["deepseek-chat", "deepseek-reasoner"],
};
