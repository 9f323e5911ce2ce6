/**
 * Z.ai (GLM): the 1-token chat call is the whole validation (no model list is relied on; a bad
 * key comes back 401 from it), with `thinking` disabled so no reasoning tokens are spent, and
 * Z.ai's string business codes classified first (429 "1113" is an empty balance, not a rate limit).
 */
import "server-only";
import { createOpenAIAdapter, type OpenAIAdapterOptions } from "../openai-family/adapter";
import { classifyWithCodes } from "../openai-family/classify";
import type { ProviderAdapter, ValidationOutcome } from "../types";

export const ZAI_DEFAULT_API_HOST = "https://api.z.ai/api/coding/paas/v4";

const KEY: ValidationOutcome = "invalid_key";

/** Z.ai business codes (https://docs.z.ai/api-reference/api-code) that decide the outcome. */
export const classifyZai = classifyWithCodes({
  // Authentication failed / no token / invalid token / expired / rejected.
  "1000": KEY,
  "1001": KEY,
  "1002": KEY,
  "1003": KEY,
  "1004": KEY,
  // Account inactive, missing, locked.
  "1110": KEY,
  "1111": KEY,
  "1112": KEY,
  "1121": KEY,
  // In arrears / no resource package; the Coding Plan's usage cap for the window.
  "1113": "quota_exceeded",
  "1308": "quota_exceeded",
  "1211": "invalid_model",
  // High concurrency / high frequency.
  "1302": "rate_limited",
  "1303": "rate_limited",
});

/** Sent with every probe: GLM 4.5+ would otherwise spend the budget on reasoning. */
export const ZAI_PROBE_FIELDS = { thinking: { type: "disabled" } } as const;

/** The Z.ai adapter; options as for createOpenAIAdapter (tests inject fetch and timeouts). */
export function createZaiAdapter(options: Pick<OpenAIAdapterOptions, "fetch" | "requestTimeoutMs"> = {}): ProviderAdapter {
  return createOpenAIAdapter({
    ...options,
    defaultApiHost: ZAI_DEFAULT_API_HOST,
    defaultPath: "/api/coding/paas/v4",
    modelList: "none",
    extraBody: ZAI_PROBE_FIELDS,
    // Z.ai documents tool_choice "auto" only.
    toolChoice: "auto",
    classify: classifyZai,
  });
}

export const zaiAdapter: ProviderAdapter = createZaiAdapter();
