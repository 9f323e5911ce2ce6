/** Azure OpenAI's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const azureCard: ProviderDefinition<"azure"> = {
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
};
