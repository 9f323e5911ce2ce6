/**
 * Qwen (Alibaba Cloud Model Studio / DashScope, OpenAI-compatible mode): the OpenAI flow with
 * DashScope's codes. Keys are regional: a key on another region's host gets 401 invalid_api_key.
 * A model missing from `GET /models` goes to the 1-token call, which decides (the list is not
 * complete for every account and region).
 */
import "server-only";
import { createOpenAIAdapter, type OpenAIAdapterOptions } from "../openai-family/adapter";
import { classifyWithCodes } from "../openai-family/classify";
import type { ProviderAdapter } from "../types";

export const QWEN_DEFAULT_API_HOST = "https://dashscope.aliyuncs.com/compatible-mode/v1";

/** DashScope's error codes (compared lower-cased) that the status alone would get wrong. */
export const classifyQwen = classifyWithCodes({
  // 400 "Access denied, please make sure your account is in good standing."
  Arrearage: "quota_exceeded",
  // 403 "The free tier of the model has been exhausted…" (a 403 is otherwise a key problem).
  "AllocationQuota.FreeTierOnly": "quota_exceeded",
  insufficient_quota: "quota_exceeded",
  // 403 model access denied / not activated for this account.
  "Model.AccessDenied": "invalid_model",
  "AccessDenied.Unpurchased": "invalid_model",
  InvalidApiKey: "invalid_key",
  "Throttling.RateQuota": "rate_limited",
  "Throttling.BurstRate": "rate_limited",
  "Throttling.AllocationQuota": "rate_limited",
  Throttling: "rate_limited",
});

/** The Qwen adapter; options as for createOpenAIAdapter (tests inject fetch and timeouts). */
export function createQwenAdapter(options: Pick<OpenAIAdapterOptions, "fetch" | "requestTimeoutMs"> = {}): ProviderAdapter {
  return createOpenAIAdapter({
    ...options,
    defaultApiHost: QWEN_DEFAULT_API_HOST,
    defaultPath: "/compatible-mode/v1",
    unlistedModel: "invoke",
    classify: classifyQwen,
  });
}

export const qwenAdapter: ProviderAdapter = createQwenAdapter();
