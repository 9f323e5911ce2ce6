/** OpenAI's validation adapter: the OpenAI-style adapter with its defaults (api.openai.com/v1). */
import "server-only";
import { createOpenAIAdapter } from "../openai-family/adapter";
import type { ProviderAdapter } from "../types";

export { classifyOpenAI } from "../openai-family/classify";

export const openaiAdapter: ProviderAdapter = createOpenAIAdapter();
