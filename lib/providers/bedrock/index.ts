/** bedrock: the server-side pieces the registry (../registry.ts) lists. The card is ./card.ts (client-safe). */
import "server-only";
import type { ServerProvider } from "../types";
import { bedrockAdapter } from "./adapter";
import { bedrockGateway } from "./gateway";

export const bedrockProvider: ServerProvider = { adapter: bedrockAdapter, gateway: bedrockGateway };
