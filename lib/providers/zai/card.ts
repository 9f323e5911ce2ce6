/** Z.ai's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const zaiCard: ProviderDefinition<"zai"> = {
  id: "zai",
  name: "Z.ai",
  description: "GLM models from Z.ai (GLM Coding Plan endpoint by default).",
  defaultApiHost: "https://api.z.ai/api/coding/paas/v4",
  fields: [apiKeyField(true, "Pay-as-you-go keys use https://api.z.ai/api/paas/v4 instead.")],
  keyUrl: "https://z.ai/manage-apikey/apikey-list",
  docsUrl: "https://docs.z.ai/guides/overview/quick-start",
  defaultModel: "glm-4.6",
  suggestedModels: ["glm-4.6", "glm-4.7", "glm-4.5", "glm-4.5-air"],
};
