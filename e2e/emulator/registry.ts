/** The emulated providers, and how to find one by id or by request path. */
import { anthropic } from "./providers/anthropic";
import { azure } from "./providers/azure";
import { bedrock } from "./providers/bedrock";
import { deepseek } from "./providers/deepseek";
import { gemini } from "./providers/gemini";
import { minimax } from "./providers/minimax";
import { openai } from "./providers/openai";
import { openAiCompatible } from "./providers/openai-compatible";
import { openrouter } from "./providers/openrouter";
import { qwen } from "./providers/qwen";
import { zai } from "./providers/zai";
import { withOpenAiStreaming } from "./streaming/openai-stream";
import type { EmulatedProvider } from "./types";

/** Add a provider here after writing its module in providers/; OpenAI-style ones stream through the wrapper. */
export const PROVIDERS: readonly EmulatedProvider[] = [
  ...[openai, qwen, deepseek, openAiCompatible, zai].map(withOpenAiStreaming),
  anthropic,
  ...[minimax, azure].map(withOpenAiStreaming),
  bedrock,
  ...[gemini, openrouter].map(withOpenAiStreaming),
];

/** The provider whose mount the path falls under (`/openai`, `/openai/…`). */
export function providerForPath(pathname: string): EmulatedProvider | undefined {
  return PROVIDERS.find((provider) => pathname === provider.mount || pathname.startsWith(`${provider.mount}/`));
}

/** API host to type into a card for this provider, e.g. `${url}/openai/v1`. Throws for providers not emulated. */
export function emulatorApiHost(emulatorUrl: string, provider: string): string {
  const found = PROVIDERS.find((entry) => entry.id === provider);
  if (!found) {
    const known = PROVIDERS.map((entry) => entry.id).join(", ");
    throw new Error(`The emulator has no provider "${provider}" (it emulates: ${known}).`);
  }
  return `${emulatorUrl.replace(/\/+$/, "")}${found.apiHostPath}`;
}
