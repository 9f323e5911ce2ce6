/** Minimax's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const minimaxCard: ProviderDefinition<"minimax"> = {
  id: "minimax",
  name: "Minimax",
  description: "MiniMax text models through the OpenAI-compatible API.",
  defaultApiHost: "https://api.minimax.io/v1",
  fields: [apiKeyField(true)],
  keyUrl: "https://www.minimax.io/platform/user-center/basic-information/interface-key",
  docsUrl: "https://platform.minimax.io/docs/guides/quickstart",
  defaultModel: "MiniMax-M2",
  suggestedModels: ["MiniMax-M2", "MiniMax-M1", "MiniMax-Text-01"],
};
