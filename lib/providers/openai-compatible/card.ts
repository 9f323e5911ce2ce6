/** OpenAI Compatible's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const openaiCompatibleCard: ProviderDefinition<"openai-compatible"> = {
  id: "openai-compatible",
  name: "OpenAI Compatible",
  description: "Any server speaking the OpenAI API: vLLM, LM Studio, Ollama, xAI …",
  apiHostPlaceholder: "http://localhost:11434/v1",
  fields: [apiKeyField(false, "Leave empty for local servers that need no key.")],
  // No provider-wide key page: the server's own admin decides.
  keyUrl: "",
  docsUrl: "https://platform.openai.com/docs/api-reference/chat",
  defaultModel: "llama3.2",
  suggestedModels: ["llama3.2", "qwen2.5", "mistral"],
};
