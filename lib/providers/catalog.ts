/**
 * The eleven providers BYOK knows, in card order: names, hosts, fields and model suggestions.
 * Imported by client components too, so it stays free of server-only code.
 */
import type { ProviderDefinition, ProviderField, ProviderId } from "./types";

function apiKeyField(required: boolean, help?: string): ProviderField {
  return { name: "apiKey", label: "API Key", secret: true, required, type: "password", help };
}

export const PROVIDERS: readonly ProviderDefinition[] = [
  {
    id: "openai",
    name: "OpenAI",
    description: "GPT and o-series models from the OpenAI API.",
    defaultApiHost: "https://api.openai.com/v1",
    fields: [apiKeyField(true)],
    keyUrl: "https://platform.openai.com/api-keys",
    docsUrl: "https://platform.openai.com/docs/api-reference",
    defaultModel: "gpt-4o",
    suggestedModels: ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini"],
    enabled: true,
  },
  {
    id: "anthropic",
    name: "Anthropic",
    description: "Claude models through the Anthropic Messages API.",
    defaultApiHost: "https://api.anthropic.com",
    fields: [apiKeyField(true)],
    keyUrl: "https://console.anthropic.com/settings/keys",
    docsUrl: "https://docs.anthropic.com/en/api/overview",
    defaultModel: "claude-sonnet-4-5",
    suggestedModels: ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5", "claude-sonnet-4-0", "claude-3-5-haiku-latest"],
    enabled: true,
  },
  {
    id: "gemini",
    name: "Google Gemini",
    description: "Gemini models through Google's OpenAI-compatible endpoint.",
    defaultApiHost: "https://generativelanguage.googleapis.com/v1beta/openai",
    fields: [apiKeyField(true)],
    keyUrl: "https://aistudio.google.com/app/apikey",
    docsUrl: "https://ai.google.dev/gemini-api/docs/openai",
    defaultModel: "gemini-2.5-flash",
    suggestedModels: ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash"],
    enabled: true,
  },
  {
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
    enabled: true,
  },
  {
    id: "qwen",
    name: "Qwen (Alibaba)",
    description: "Qwen models on Alibaba Cloud Model Studio (DashScope).",
    defaultApiHost: "https://dashscope.aliyuncs.com/compatible-mode/v1",
    fields: [
      apiKeyField(
        true,
        "Keys are regional: international keys use https://dashscope-intl.aliyuncs.com/compatible-mode/v1.",
      ),
    ],
    keyUrl: "https://bailian.console.aliyun.com/?apiKey=1#/api-key",
    docsUrl: "https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope",
    defaultModel: "qwen-plus",
    suggestedModels: ["qwen-plus", "qwen-max", "qwen-turbo", "qwen-flash", "qwen3-max", "qwen3-coder-plus"],
    enabled: true,
  },
  {
    id: "deepseek",
    name: "DeepSeek",
    description: "DeepSeek chat and reasoning models.",
    defaultApiHost: "https://api.deepseek.com",
    fields: [apiKeyField(true)],
    keyUrl: "https://platform.deepseek.com/api_keys",
    docsUrl: "https://api-docs.deepseek.com/",
    defaultModel: "deepseek-chat",
    suggestedModels: ["deepseek-chat", "deepseek-reasoner"],
    enabled: true,
  },
  {
    id: "minimax",
    name: "Minimax",
    description: "MiniMax text models through the OpenAI-compatible API.",
    defaultApiHost: "https://api.minimax.io/v1",
    fields: [apiKeyField(true)],
    keyUrl: "https://www.minimax.io/platform/user-center/basic-information/interface-key",
    docsUrl: "https://platform.minimax.io/docs/guides/quickstart",
    defaultModel: "MiniMax-M2",
    suggestedModels: ["MiniMax-M2", "MiniMax-M1", "MiniMax-Text-01"],
    enabled: true,
  },
  {
    id: "zai",
    name: "Z.ai",
    description: "GLM models from Z.ai (GLM Coding Plan endpoint by default).",
    defaultApiHost: "https://api.z.ai/api/coding/paas/v4",
    fields: [apiKeyField(true, "Pay-as-you-go keys use https://api.z.ai/api/paas/v4 instead.")],
    keyUrl: "https://z.ai/manage-apikey/apikey-list",
    docsUrl: "https://docs.z.ai/guides/overview/quick-start",
    defaultModel: "glm-4.6",
    suggestedModels: ["glm-4.6", "glm-4.7", "glm-4.5", "glm-4.5-air"],
    enabled: true,
  },
  {
    id: "azure",
    name: "Azure OpenAI",
    description: "OpenAI models deployed in your own Azure resource.",
    apiHostPlaceholder: "https://{resource}.openai.azure.com",
    fields: [
      apiKeyField(true),
      { name: "apiVersion", label: "API Version", secret: false, required: true, defaultValue: "2024-10-21", type: "text" },
      {
        name: "deploymentName",
        label: "Deployment Name",
        secret: false,
        required: true,
        placeholder: "my-gpt-4o",
        help: "The name you gave the deployment in Azure AI Foundry, not the model name.",
        type: "text",
      },
    ],
    keyUrl: "https://portal.azure.com/#view/Microsoft_Azure_ProjectOxford/CognitiveServicesHub/~/OpenAI",
    docsUrl: "https://learn.microsoft.com/en-us/azure/ai-foundry/openai/reference",
    defaultModel: "gpt-4o",
    suggestedModels: ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini"],
    enabled: true,
  },
  {
    id: "bedrock",
    name: "AWS Bedrock",
    description: "Foundation models on Amazon Bedrock, with IAM keys or a Bedrock API key.",
    apiHostPlaceholder: "https://bedrock-runtime.us-east-1.amazonaws.com",
    fields: [
      { name: "region", label: "Region", secret: false, required: true, defaultValue: "us-east-1", type: "text" },
      { name: "accessKeyId", label: "Access Key ID", secret: true, required: false, placeholder: "AKIA…", type: "password" },
      { name: "secretAccessKey", label: "Secret Access Key", secret: true, required: false, type: "password" },
      {
        name: "sessionToken",
        label: "Session Token",
        secret: true,
        required: false,
        help: "Only for temporary credentials.",
        type: "password",
      },
      apiKeyField(false, "A Bedrock API key, instead of an access key pair."),
    ],
    keyUrl: "https://console.aws.amazon.com/bedrock/home#/api-keys",
    docsUrl: "https://docs.aws.amazon.com/bedrock/latest/APIReference/welcome.html",
    defaultModel: "amazon.nova-lite-v1:0",
    suggestedModels: [
      "amazon.nova-lite-v1:0",
      "amazon.nova-pro-v1:0",
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
      "anthropic.claude-3-5-haiku-20241022-v1:0",
      "meta.llama3-1-8b-instruct-v1:0",
    ],
    enabled: true,
  },
  {
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
    enabled: true,
  },
];

const byId = new Map<ProviderId, ProviderDefinition>(PROVIDERS.map((def) => [def.id, def]));

/** The catalog entry for a provider id, or undefined for an unknown id. */
export function getProvider(id: string): ProviderDefinition | undefined {
  return byId.get(id as ProviderId);
}

/** Names of the fields that are secret (encrypted, write-only), in card order. */
export function secretFieldNames(def: ProviderDefinition): string[] {
  return def.fields.filter((field) => field.secret).map((field) => field.name);
}
