/** Google Gemini's OpenAI-compatible endpoint through the gateway: OpenAI-style, Bearer (never x-goog-api-key). */
import "server-only";
import type { GatewaySpec } from "@/lib/gateway/types";
import { openAIStyleGateway } from "@/lib/providers/openai-family/gateway";
import { geminiBaseUrl } from "@/lib/providers/gemini/adapter";

// Model ids may come as `models/gemini-2.5-flash`: two segments after `models/`.
export const geminiGateway: GatewaySpec = openAIStyleGateway(
  (host) => geminiBaseUrl(host || "https://generativelanguage.googleapis.com/v1beta/openai"),
  {
    modelIdSegments: 2,
  },
);
