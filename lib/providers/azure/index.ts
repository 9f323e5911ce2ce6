/** azure: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { azureAdapter } from "./adapter";
import { azureGateway } from "./gateway";

export const azureProvider: ServerProvider = { adapter: azureAdapter, gateway: azureGateway };
