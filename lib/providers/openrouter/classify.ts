/**
 * OpenRouter's answers → validation verdicts. Envelope `{"error":{"code":<int>,"message","metadata"?},"user_id"?}`;
 * `metadata.raw` may carry the upstream provider's own error, which is appended to the message.
 * Steps: "key" is GET /key, "model" the public GET /models list, "invocation" the chat call.
 */
import "server-only";
import type { ClassifyOptions, StepVerdict } from "../openai-family/classify";
import {
  cleanProviderMessage,
  extractError,
  isRecord,
  listModelIds,
  parseJsonBody,
  providerMessageOf,
  providerText,
  scanPrefix,
  unexpectedBody,
} from "../openai-family/style";
import type { ValidationOutcome, ValidationStep } from "../types";

const KEY_TEXT = /user not found|no auth credentials|invalid api key|api key (is )?(invalid|disabled|revoked)|key (is )?disabled/i;
const QUOTA_TEXT =
  /insufficient credits|requires more credits|can only afford|never purchased credits|key limit exceeded|credit limit|spend(ing)? limit/i;
const MODEL_TEXT = /is not a valid model id|no endpoints found|model[^.]{0,80}(does not exist|not found)|invalid model/i;
const MODERATION_TEXT = /flagged|moderation/i;
const PER_DAY = /per[- ]?day|daily/i;
const TRUNCATED_LIST = /^\s*\{\s*"data"\s*:\s*\[/;

/** The parts of an OpenRouter error the classifier reads. */
export type OpenRouterError = {
  /** `error.code`, usually the HTTP status (an error under a 2xx carries the real one here). */
  code?: number;
  /** The message, with the upstream provider's own message appended when metadata.raw has one. */
  message?: string;
};

function upstreamMessage(raw: unknown): string | undefined {
  if (isRecord(raw)) return extractError(raw).message;
  if (typeof raw !== "string") return undefined;
  const parsed = parseJsonBody(raw);
  return parsed === undefined ? providerText(raw)?.slice(0, 500) : extractError(parsed).message;
}

/** Reads OpenRouter's envelope (or any OpenAI-style one); the message is bounded. Never throws. */
export function openRouterError(body: unknown): OpenRouterError {
  const root = Array.isArray(body) ? body.find(isRecord) : body;
  const base = extractError(body);
  if (!isRecord(root) || !isRecord(root.error)) return { message: base.message };
  const { code, metadata } = root.error;
  const numeric = typeof code === "number" ? code : typeof code === "string" && /^\d{3}$/.test(code) ? Number(code) : undefined;
  const upstream = isRecord(metadata) ? upstreamMessage(metadata.raw) : undefined;
  const provider = isRecord(metadata) ? providerText(metadata.provider_name)?.slice(0, 100) : undefined;
  if (!upstream || upstream === base.message) return { code: numeric, message: base.message };
  return { code: numeric, message: scanPrefix(`${base.message ?? "Provider returned error"} (${provider ?? "upstream"}: ${upstream})`) };
}

function outcomeFor(status: number, step: ValidationStep, text: string): ValidationOutcome {
  if (status === 401) return "invalid_key";
  if (status === 402) return "quota_exceeded";
  if (status === 403) {
    if (QUOTA_TEXT.test(text)) return "quota_exceeded";
    return MODERATION_TEXT.test(text) ? "provider_error" : "invalid_key";
  }
  // A daily cap (free-models-per-day: "add credits to unlock …") lasts until tomorrow: quota.
  if (status === 429) return PER_DAY.test(text) || QUOTA_TEXT.test(text) ? "quota_exceeded" : "rate_limited";
  if (status === 408 || status >= 500 || status < 400) return "provider_error";
  if (status === 404) return step === "invocation" ? "invalid_model" : "provider_error";
  if (MODEL_TEXT.test(text)) return step === "invocation" ? "invalid_model" : "provider_error";
  if (QUOTA_TEXT.test(text)) return "quota_exceeded";
  if (KEY_TEXT.test(text)) return "invalid_key";
  return "provider_error";
}

function expectedShape(step: ValidationStep, body: unknown, text: string, truncated: boolean): boolean {
  if (step === "key") return isRecord(body) && isRecord(body.data) && !isRecord(body.error);
  if (step === "model") return truncated ? TRUNCATED_LIST.test(text) : isRecord(body) && listModelIds(body) !== undefined;
  return isRecord(body) && Array.isArray(body.choices) && !isRecord(body.error);
}

/**
 * Classifies one OpenRouter answer for a validation step: 401 "User not found." / "No auth
 * credentials found" → invalid_key; 402 "Insufficient credits" and 403 "Key limit exceeded" →
 * quota_exceeded; 400 "<model> is not a valid model ID" and 404 "No endpoints found…" on the chat
 * call → invalid_model; 429 → rate_limited (a per-day cap → quota_exceeded); 408, 5xx, redirects
 * and anything unrecognised → provider_error. An error under a 2xx is judged by its `code`.
 */
export function classifyOpenRouter(status: number, bodyText: string, step: ValidationStep, options: ClassifyOptions = {}): StepVerdict {
  const secrets = options.secrets ?? [];
  const truncated = options.truncated ?? false;
  const body = parseJsonBody(bodyText, truncated);
  const error = openRouterError(body);
  const rawMessage = providerMessageOf(error.message, body, bodyText);
  const verdict: StepVerdict = {
    outcome: "provider_error",
    step,
    httpStatus: status,
    providerCode: error.code === undefined ? undefined : String(error.code),
    providerMessage: cleanProviderMessage(rawMessage, secrets),
  };
  const text = rawMessage ?? "";

  if (status >= 200 && status < 300) {
    if (expectedShape(step, body, bodyText, truncated)) return { outcome: "valid", step, httpStatus: status };
    if (error.code !== undefined && error.code >= 400) return { ...verdict, outcome: outcomeFor(error.code, step, text) };
    return { ...verdict, providerMessage: verdict.providerMessage ?? unexpectedBody(bodyText, truncated) };
  }
  return { ...verdict, outcome: outcomeFor(status, step, text) };
}

/**
 * The smallest output budget an upstream asks for when it refuses `max_tokens: 1`
 * ("Invalid 'max_output_tokens': … Expected a value >= 16"), if it is small enough to retry with.
 */
export function minimumTokensAsked(status: number, bodyText: string, limit = 64): number | undefined {
  if (status !== 400) return undefined;
  const text = openRouterError(parseJsonBody(bodyText)).message ?? "";
  const match = /(max_tokens|max_output_tokens|max_completion_tokens)[\s\S]{0,160}?(?:>=|at least|minimum of|minimum is)\s*(\d{1,4})/i.exec(
    text,
  );
  const minimum = match ? Number(match[2]) : undefined;
  return minimum !== undefined && minimum > 1 && minimum <= limit ? minimum : undefined;
}
