/** minimax: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { minimaxAdapter } from "./adapter";
import { minimaxGateway } from "./gateway";

export const minimaxProvider: ServerProvider = { adapter: minimaxAdapter, gateway: minimaxGateway };
