/**
 * DeepSeek: key and funds first with `GET /user/balance` (spends nothing), then the model against
 * `GET /models` (DeepSeek's list is complete: a model not in it is invalid), then the 1-token call
 * (402 Insufficient Balance → quota, 400 Model Not Exist → invalid model).
 */
import "server-only";
import type { Probe } from "../http-step";
import { createOpenAIAdapter, type OpenAIAdapterOptions } from "../openai-family/adapter";
import { classifyOpenAI, type ClassifyOptions, type StepVerdict } from "../openai-family/classify";
import { isRecord, parseJsonBody } from "../openai-family/style";
import type { ProviderAdapter, ValidationResult } from "../types";

export const DEEPSEEK_DEFAULT_API_HOST = "https://api.deepseek.com";

/** `GET /user/balance` lives at the origin root even when the API Host ends in `/v1`. */
export function balanceUrl(base: string): string {
  return `${base.replace(/\/v1$/i, "")}/user/balance`;
}

function totalOf(info: unknown): number | undefined {
  if (!isRecord(info)) return undefined;
  const value = typeof info.total_balance === "number" ? info.total_balance : Number.parseFloat(String(info.total_balance));
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Classifies the balance answer as the key step: errors as classifyOpenAI does; a 200 with
 * `is_available: false` or only zero balances → quota_exceeded; "skip" when the endpoint is
 * missing (a proxy in front of DeepSeek), so the model list decides about the key instead.
 */
export function classifyDeepSeekBalance(status: number, bodyText: string, options: ClassifyOptions = {}): StepVerdict | "skip" {
  if (status === 404 || status === 405) return "skip";
  if (status < 200 || status >= 300) return classifyOpenAI(status, bodyText, "key", options);
  const body = parseJsonBody(bodyText, options.truncated ?? false);
  if (!isRecord(body) || typeof body.is_available !== "boolean") {
    const content = classifyOpenAI(status, bodyText, "invocation", options);
    if (content.outcome !== "valid" && content.outcome !== "provider_error") return { ...content, step: "key" };
    return { outcome: "provider_error", step: "key", httpStatus: status, providerMessage: "Unexpected response from /user/balance." };
  }
  const infos = Array.isArray(body.balance_infos) ? body.balance_infos : [];
  const totals = infos.map(totalOf).filter((value): value is number => value !== undefined);
  const first = infos.find(isRecord);
  const parts = first ? [first.total_balance, first.currency].filter((v) => typeof v === "string" || typeof v === "number") : [];
  const shown = parts.length > 0 ? ` (balance ${parts.map((v) => String(v).slice(0, 20)).join(" ")})` : "";
  if (!body.is_available) {
    return {
      outcome: "quota_exceeded",
      step: "key",
      httpStatus: status,
      providerMessage: `Insufficient Balance: the account cannot make API calls${shown}.`,
    };
  }
  if (totals.length > 0 && totals.every((value) => value <= 0)) {
    return { outcome: "quota_exceeded", step: "key", httpStatus: status, providerMessage: `Insufficient Balance${shown}.` };
  }
  return { outcome: "valid", step: "key", httpStatus: status };
}

async function checkBalance(probe: Probe): Promise<ValidationResult | undefined> {
  const answered = await probe.callUrl("key", balanceUrl(probe.base));
  if ("failed" in answered) return answered.failed;
  const { status, text, truncated } = answered.response;
  const verdict = classifyDeepSeekBalance(status, text, { secrets: probe.secrets, truncated });
  return verdict === "skip" || verdict.outcome === "valid" ? undefined : { ...verdict, host: probe.host };
}

/** The DeepSeek adapter; options as for createOpenAIAdapter (tests inject fetch and timeouts). */
export function createDeepSeekAdapter(options: Pick<OpenAIAdapterOptions, "fetch" | "requestTimeoutMs"> = {}): ProviderAdapter {
  return createOpenAIAdapter({
    ...options,
    defaultApiHost: DEEPSEEK_DEFAULT_API_HOST,
    defaultPath: "",
    preCheck: checkBalance,
    unlistedModel: "reject",
  });
}

export const deepseekAdapter: ProviderAdapter = createDeepSeekAdapter();
