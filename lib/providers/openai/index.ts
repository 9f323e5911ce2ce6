/** openai: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { openaiAdapter } from "./adapter";
import { openaiGateway } from "./gateway";

export const openaiProvider: ServerProvider = { adapter: openaiAdapter, gateway: openaiGateway };
