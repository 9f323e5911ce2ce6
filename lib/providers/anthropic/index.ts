/** anthropic: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { anthropicAdapter } from "./adapter";
import { anthropicGateway } from "./gateway";

export const anthropicProvider: ServerProvider = { adapter: anthropicAdapter, gateway: anthropicGateway };
