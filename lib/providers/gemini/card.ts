/** Google Gemini's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const geminiCard: ProviderDefinition<"gemini"> = {
  id: "gemini",
  name: "Google Gemini",
  description: "Gemini models through Google's OpenAI-compatible endpoint.",
  defaultApiHost: "https://generativelanguage.googleapis.com/v1beta/openai",
  fields: [apiKeyField(true)],
  keyUrl: "https://aistudio.google.com/app/apikey",
  docsUrl: "https://ai.google.dev/gemini-api/docs/openai",
  defaultModel: "gemini-2.5-flash",
  suggestedModels: ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash"],
};
