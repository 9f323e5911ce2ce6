/** qwen: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { qwenAdapter } from "./adapter";
import { qwenGateway } from "./gateway";

export const qwenProvider: ServerProvider = { adapter: qwenAdapter, gateway: qwenGateway };
