/** openai-compatible: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { openaiCompatibleAdapter } from "./adapter";
import { openaiCompatibleGateway } from "./gateway";

export const openaiCompatibleProvider: ServerProvider = { adapter: openaiCompatibleAdapter, gateway: openaiCompatibleGateway };
