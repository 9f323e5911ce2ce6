/** gemini: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { geminiAdapter } from "./adapter";
import { geminiGateway } from "./gateway";

export const geminiProvider: ServerProvider = { adapter: geminiAdapter, gateway: geminiGateway };
