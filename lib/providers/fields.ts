/** Field builders shared by the provider cards. Client-safe. */
import type { ProviderField } from "./types";

/** The "API Key" field (secret); `required` is false where a key is optional (Bedrock, local servers). */
export function apiKeyField(required: boolean, help?: string): ProviderField {
  return { name: "apiKey", label: "API Key", secret: true, required, type: "password", help };
}
