/**
 * Turns one OpenAI-style HTTP answer into a validation verdict, defensively: status first, then
 * the machine-readable code/type, then message patterns. Pure, so every quoted body is unit-tested.
 * Also the verdict types and errorVerdict, which every provider's classifier builds on.
 */
import "server-only";
import {
  cleanProviderCode,
  cleanProviderMessage,
  extractError,
  isRecord,
  listModelIds,
  parseJsonBody,
  providerMessageOf,
  unexpectedBody,
  type ProviderErrorInfo,
} from "./style";
import type { ValidationOutcome, ValidationResult, ValidationStep } from "../types";

/** A step's verdict: `valid` means this step passed. The adapter adds host and models. */
export type StepVerdict = Omit<ValidationResult, "host" | "models">;

export type ClassifyOptions = {
  /** Secrets to mask in the provider message (the key must never appear in a result). */
  secrets?: readonly string[];
  /** The body was cut at the size cap. */
  truncated?: boolean;
};

/**
 * The provider_error verdict a classifier starts from: the status, and the provider's code and
 * message made safe to show (masked, one line, capped). Rules then change the outcome.
 */
export function errorVerdict(
  step: ValidationStep,
  status: number,
  code: string | undefined,
  message: string | undefined,
  secrets: readonly string[],
): StepVerdict {
  return {
    outcome: "provider_error",
    step,
    httpStatus: status,
    providerCode: cleanProviderCode(code, secrets),
    providerMessage: cleanProviderMessage(message, secrets),
  };
}

const KEY_CODES = new Set([
  "invalid_api_key",
  "invalid_authentication",
  "authentication_error",
  "unauthenticated",
  "unauthorized",
  "api_key_invalid",
  "permission_denied",
  "401",
]);
const MODEL_CODES = new Set(["model_not_found", "not_found_error", "not_found", "deploymentnotfound", "model_not_available", "1211"]);
const QUOTA_CODES = new Set(["insufficient_quota", "billing_hard_limit_reached", "insufficient_balance", "insufficient_credits", "1113"]);
const RATE_CODES = new Set(["rate_limit_exceeded", "rate_limit_error", "requests", "tokens", "1302", "1303"]);

const KEY_TEXT =
  /incorrect api key|invalid api key|api key not valid|invalid x-api-key|didn't provide an api key|did not provide an api key|no auth credentials|authentication fails|invalid authentication|invalid subscription key/i;
const QUOTA_TEXT = /exceeded your current quota|insufficient[ _](quota|balance|credits?)|credit balance is too low|billing hard limit/i;
const MODEL_TEXT =
  /model[^.]{0,120}(does not exist|not found|not exist|is not available)|does not exist or you do not have access|is not a valid model|unknown model|invalid model|model_not_found/i;
const MODEL_ACCESS_TEXT = /do not have access to (the )?model|not allowed to sample from this model/i;
const RATE_TEXT = /rate limit|too many requests/i;
// Reasoning models may stop before answering at 1 token: the model was still invoked fine.
const OUTPUT_LIMIT_TEXT = /output limit was reached|max_tokens or model output limit/i;

function codesOf(error: ProviderErrorInfo): string[] {
  return [error.code, error.type].filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase());
}

// Outcome from codes and message text alone (used for statuses that do not decide by themselves).
function outcomeFromContent(error: ProviderErrorInfo, text: string): ValidationOutcome | undefined {
  const codes = codesOf(error);
  if (codes.some((c) => KEY_CODES.has(c))) return "invalid_key";
  if (codes.some((c) => QUOTA_CODES.has(c))) return "quota_exceeded";
  if (codes.some((c) => MODEL_CODES.has(c))) return "invalid_model";
  if (codes.some((c) => RATE_CODES.has(c))) return "rate_limited";
  if (KEY_TEXT.test(text)) return "invalid_key";
  if (QUOTA_TEXT.test(text)) return "quota_exceeded";
  if (MODEL_TEXT.test(text) || MODEL_ACCESS_TEXT.test(text)) return "invalid_model";
  if (RATE_TEXT.test(text)) return "rate_limited";
  return undefined;
}

// A model list cut at the size cap: the 200 still proves the key, the list is just long.
const TRUNCATED_LIST = /^\s*\{\s*"(object"\s*:\s*"list"|data"\s*:\s*\[)/;

// Whether a 2xx body has the shape the step expects.
function expectedShape(step: ValidationStep, body: unknown, text: string, truncated: boolean): boolean {
  if (step === "key") return truncated ? TRUNCATED_LIST.test(text) : isRecord(body) && listModelIds(body) !== undefined;
  if (!isRecord(body)) return false;
  if (step === "model") return typeof body.id === "string";
  return Array.isArray(body.choices);
}

function outcomeForStatus(status: number, step: ValidationStep, error: ProviderErrorInfo, text: string): ValidationOutcome {
  const codes = codesOf(error);
  if (status === 401) return "invalid_key";
  if (status === 403) {
    return codes.some((c) => MODEL_CODES.has(c)) || MODEL_ACCESS_TEXT.test(text) ? "invalid_model" : "invalid_key";
  }
  if (status === 402) return "quota_exceeded";
  if (status === 429) {
    return codes.some((c) => QUOTA_CODES.has(c)) || QUOTA_TEXT.test(text) ? "quota_exceeded" : "rate_limited";
  }
  if (status >= 500 || status < 400) return "provider_error";
  if (status === 404) {
    // A 404 on the list endpoint means the API Host path is wrong, not the model.
    return step === "key" ? "provider_error" : "invalid_model";
  }
  if (step === "invocation" && status === 400 && OUTPUT_LIMIT_TEXT.test(text)) return "valid";
  return outcomeFromContent(error, text) ?? "provider_error";
}

/**
 * Classifies one answer of an OpenAI-style API for a validation step. 401/403 → invalid_key,
 * 404/model_not_found → invalid_model, 429 → quota_exceeded when the quota is exhausted else
 * rate_limited, 402 → quota_exceeded, 3xx/5xx/unrecognised → provider_error; a 2xx passes only
 * when its body has the expected shape (a model list cut at the size cap still proves the key). The message in the verdict is one line, masked, ≤ 300 chars.
 */
export function classifyOpenAI(status: number, bodyText: string, step: ValidationStep, options: ClassifyOptions = {}): StepVerdict {
  const secrets = options.secrets ?? [];
  const truncated = options.truncated ?? false;
  const body = parseJsonBody(bodyText, truncated);
  const error = extractError(body);
  const rawMessage = providerMessageOf(error.message, body, bodyText);
  const verdict = errorVerdict(step, status, error.code ?? error.type, rawMessage, secrets);
  const text = rawMessage ?? "";

  if (status >= 200 && status < 300) {
    if (expectedShape(step, body, bodyText, truncated)) return { outcome: "valid", step, httpStatus: status };
    // Some servers answer errors with 200: judge by content; otherwise the body is just wrong.
    const fromContent = body === undefined ? undefined : outcomeFromContent(error, text);
    if (fromContent) return { ...verdict, outcome: fromContent };
    return { ...verdict, providerMessage: verdict.providerMessage ?? unexpectedBody(bodyText, truncated) };
  }
  const outcome = outcomeForStatus(status, step, error, text);
  return outcome === "valid" ? { outcome, step, httpStatus: status } : { ...verdict, outcome };
}

/** Whether a 400 from chat/completions asks for `max_completion_tokens` instead of `max_tokens`. */
export function wantsMaxCompletionTokens(status: number, bodyText: string): boolean {
  if (status !== 400) return false;
  const error = extractError(parseJsonBody(bodyText));
  const text = `${error.message ?? ""} ${error.param ?? ""} ${error.code ?? ""}`;
  return /max_completion_tokens/i.test(text) || (error.param === "max_tokens" && /unsupported/i.test(text));
}

/** A classifier with the same signature as classifyOpenAI (providers wrap it to add their codes). */
export type Classifier = (status: number, bodyText: string, step: ValidationStep, options?: ClassifyOptions) => StepVerdict;

/**
 * classifyOpenAI, except that an error whose machine code or type (case-insensitive) is in
 * `outcomes` gets that outcome whatever the status (e.g. Z.ai's 429 "1113" is quota, not a rate
 * limit). Answers that pass their step are never overridden.
 */
export function classifyWithCodes(outcomes: Readonly<Record<string, ValidationOutcome>>, base: Classifier = classifyOpenAI): Classifier {
  const table = new Map(Object.entries(outcomes).map(([code, outcome]) => [code.toLowerCase(), outcome]));
  return (status, bodyText, step, options = {}) => {
    const verdict = base(status, bodyText, step, options);
    if (verdict.outcome === "valid") return verdict;
    const error = extractError(parseJsonBody(bodyText, options.truncated ?? false));
    const outcome = codesOf(error)
      .map((code) => table.get(code))
      .find((found) => found !== undefined);
    return outcome ? { ...verdict, outcome } : verdict;
  };
}
