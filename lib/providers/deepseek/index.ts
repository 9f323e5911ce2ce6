/** deepseek: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { deepseekAdapter } from "./adapter";
import { deepseekGateway } from "./gateway";

export const deepseekProvider: ServerProvider = { adapter: deepseekAdapter, gateway: deepseekGateway };
