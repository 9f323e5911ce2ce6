/** openrouter: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { openrouterAdapter } from "./adapter";
import { openrouterGateway } from "./gateway";

export const openrouterProvider: ServerProvider = { adapter: openrouterAdapter, gateway: openrouterGateway };
