/**
 * Google's errors on Gemini's OpenAI-compatible endpoint → validation verdicts. Google answers
 * `{"error":{code,message,status,details}}`, sometimes wrapped in an array; anything else falls
 * back to classifyOpenAI. A bad key is a 400 (ErrorInfo reason API_KEY_INVALID), not a 401.
 *
 * RESOURCE_EXHAUSTED (429) says "You exceeded your current quota" for per-minute limits too, so it
 * is split by what the details say: a QuotaFailure quotaId / metric (or the message) naming a
 * per-day limit → quota_exceeded (it lasts until the next day; billing lifts it); per-minute or
 * per-second → rate_limited; depleted prepaid credits → quota_exceeded; otherwise a RetryInfo
 * detail → rate_limited; the bare "exceeded your current quota" → quota_exceeded; else rate_limited.
 */
import "server-only";
import { classifyOpenAI, type ClassifyOptions, type StepVerdict } from "../openai-family/classify";
import { cleanProviderCode, isRecord, parseJsonBody, scanPrefix } from "../openai-family/style";
import type { ValidationOutcome, ValidationStep } from "../types";

/** The parts of a Google error envelope the classifier reads. */
export type GoogleError = {
  code?: number;
  message: string;
  /** Canonical status: INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, … */
  status?: string;
  /** ErrorInfo reasons (API_KEY_INVALID, SERVICE_DISABLED, …). */
  reasons: string[];
  /** QuotaFailure quotaIds, metrics and descriptions and ErrorInfo quota metadata, joined. */
  quota: string;
  /** RetryInfo retryDelay ("41s"), when there is one. */
  retryDelay?: string;
};

const KEY_REASONS = new Set([
  "API_KEY_INVALID",
  "API_KEY_EXPIRED",
  "API_KEY_SERVICE_BLOCKED",
  "API_KEY_HTTP_REFERRER_BLOCKED",
  "API_KEY_IP_ADDRESS_BLOCKED",
  "API_KEY_ANDROID_APP_BLOCKED",
  "API_KEY_IOS_APP_BLOCKED",
  "SERVICE_DISABLED",
  "CONSUMER_SUSPENDED",
  "CONSUMER_INVALID",
  "ACCESS_TOKEN_EXPIRED",
  "ACCESS_TOKEN_TYPE_UNSUPPORTED",
  "CREDENTIALS_MISSING",
]);

const KEY_TEXT =
  /api key (not valid|expired|was reported as leaked)|pass a valid api key|unregistered callers|missing required authentication credential|invalid authentication credentials|has not been used in project|api has not been used|is disabled\. enable it/i;
const MODEL_TEXT =
  /is not found for api version|unexpected model name format|not supported for generatecontent|models\/\S{1,200} is not found|model[^.]{0,80}(not found|does not exist)|tuned ?model/i;
const BILLING_TEXT = /prepayment credits|credits? (are |is )?depleted|enable billing|billing (account|is not enabled|is disabled)/i;
const PER_DAY = /per ?day|daily/i;
const PER_MINUTE = /per ?(minute|second)|\bper ?min\b/i;

// Google sends a handful of details, each with a few entries: more are not read.
const MAX_ENTRIES = 32;

function text(value: unknown): string {
  return typeof value === "string" ? scanPrefix(value) : "";
}

// The first MAX_ENTRIES objects of a JSON array (none when it is not one).
function firstRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.slice(0, MAX_ENTRIES).filter(isRecord) : [];
}

/**
 * Reads Google's envelope (plain or the first object of an array); undefined for any other shape.
 * Bounded: the first MAX_ENTRIES details, violations and metadata values, each text cut to
 * PROVIDER_SCAN_LIMIT characters, and `quota` as a whole too.
 */
export function googleError(body: unknown): GoogleError | undefined {
  const root = Array.isArray(body) ? body.find(isRecord) : body;
  if (!isRecord(root) || !isRecord(root.error)) return undefined;
  const error = root.error;
  const details = firstRecords(error.details);
  // OpenAI's envelope has `type`; Google's has a canonical `status` and/or typed `details`.
  if (typeof error.status !== "string" && details.length === 0) return undefined;
  const reasons: string[] = [];
  const quota: string[] = [];
  let retryDelay: string | undefined;
  for (const detail of details) {
    if (typeof detail.reason === "string") reasons.push(text(detail.reason));
    if (isRecord(detail.metadata)) {
      // No spread: a metadata object with 10⁵ keys would overflow the call stack.
      for (const key of Object.keys(detail.metadata).slice(0, MAX_ENTRIES)) quota.push(text(detail.metadata[key]));
    }
    for (const violation of firstRecords(detail.violations)) {
      quota.push(text(violation.quotaId), text(violation.quotaMetric), text(violation.description));
    }
    if (typeof detail.retryDelay === "string") retryDelay = detail.retryDelay;
  }
  return {
    code: typeof error.code === "number" ? error.code : undefined,
    message: text(error.message),
    status: typeof error.status === "string" ? text(error.status) : undefined,
    reasons,
    quota: scanPrefix(quota.filter(Boolean).join(" ")),
    retryDelay,
  };
}

/** RESOURCE_EXHAUSTED: a per-day quota or depleted credits is quota; a per-minute limit is a rate limit. */
export function exhaustedOutcome(error: GoogleError): "quota_exceeded" | "rate_limited" {
  if (PER_DAY.test(error.quota)) return "quota_exceeded";
  if (PER_MINUTE.test(error.quota)) return "rate_limited";
  if (PER_DAY.test(error.message)) return "quota_exceeded";
  if (PER_MINUTE.test(error.message)) return "rate_limited";
  if (BILLING_TEXT.test(error.message)) return "quota_exceeded";
  if (error.retryDelay !== undefined) return "rate_limited";
  return /exceeded your current quota/i.test(error.message) ? "quota_exceeded" : "rate_limited";
}

function googleOutcome(status: number, step: ValidationStep, error: GoogleError): ValidationOutcome {
  // An error envelope under a 2xx is judged by the code it carries.
  const effective = status >= 200 && status < 300 ? (error.code ?? status) : status;
  const message = error.message;
  if (error.reasons.some((reason) => KEY_REASONS.has(reason))) return "invalid_key";
  if (effective === 401 || error.status === "UNAUTHENTICATED") return "invalid_key";
  if (effective === 429 || error.status === "RESOURCE_EXHAUSTED") return exhaustedOutcome(error);
  if (effective === 402) return "quota_exceeded";
  if (effective === 403 || error.status === "PERMISSION_DENIED") {
    if (BILLING_TEXT.test(message)) return "quota_exceeded";
    return step !== "key" && MODEL_TEXT.test(message) ? "invalid_model" : "invalid_key";
  }
  if (effective >= 500 || effective < 400) return "provider_error";
  // A 404 on the list endpoint means the API Host path is wrong, not the model.
  if (effective === 404 || error.status === "NOT_FOUND") return step === "key" ? "provider_error" : "invalid_model";
  if (KEY_TEXT.test(message)) return "invalid_key";
  if (BILLING_TEXT.test(message)) return "quota_exceeded";
  if (MODEL_TEXT.test(message)) return step === "key" ? "provider_error" : "invalid_model";
  return "provider_error";
}

/**
 * Classifies one answer of Gemini's OpenAI-compatible API for a validation step: 400
 * API_KEY_INVALID (and other key reasons, 401, 403) → invalid_key; 404 NOT_FOUND → invalid_model;
 * 429 RESOURCE_EXHAUSTED → quota_exceeded or rate_limited (see the file comment); 5xx →
 * provider_error. providerCode is the ErrorInfo reason, else the canonical status.
 */
export function classifyGemini(status: number, bodyText: string, step: ValidationStep, options: ClassifyOptions = {}): StepVerdict {
  const verdict = classifyOpenAI(status, bodyText, step, options);
  if (verdict.outcome === "valid") return verdict;
  const error = googleError(parseJsonBody(bodyText, options.truncated ?? false));
  if (!error) return verdict;
  const code = error.reasons.find((reason) => reason.trim()) ?? error.status;
  return {
    ...verdict,
    outcome: googleOutcome(status, step, error),
    providerCode: code ? cleanProviderCode(code, options.secrets ?? []) : verdict.providerCode,
  };
}
