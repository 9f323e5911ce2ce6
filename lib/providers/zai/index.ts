/** zai: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { zaiAdapter } from "./adapter";
import { zaiGateway } from "./gateway";

export const zaiProvider: ServerProvider = { adapter: zaiAdapter, gateway: zaiGateway };
