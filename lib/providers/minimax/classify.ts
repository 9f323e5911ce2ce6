/**
 * MiniMax answers → validation verdicts. MiniMax often reports errors as HTTP 200 with a non-zero
 * `base_resp.status_code`; its OpenAI- and Anthropic-style error bodies end their message with the
 * same code ("… (2013)"). The MiniMax code decides first, then the HTTP status, then the message.
 */
import "server-only";
import type { ClassifyOptions, StepVerdict } from "../openai-family/classify";
import {
  cleanProviderCode,
  cleanProviderMessage,
  extractError,
  isRecord,
  parseJsonBody,
  providerMessageOf,
  providerText,
  unexpectedBody,
} from "../openai-family/style";
import { toolSupportFrom } from "../openai-family/tools";
import type { ToolSupport, ValidationOutcome, ValidationStep } from "../types";

const KEY_CODES = new Set([1004, 2049]);
const QUOTA_CODES = new Set([1008, 2056]);
const RATE_CODES = new Set([1002]);
const INVALID_PARAMS = 2013;

const TRAILING_CODE = /\((\d{3,5})\)\s*$/;
const MODEL_TEXT =
  /unknown model|invalid model|model[^,.;]{0,80}(does not exist|not exist|not found|not supported|is not available|unsupported)|not support(ed)? (this |the )?model|model_not_found/i;
const KEY_TEXT = /invalid api key|login fail|api secret key|not authorized|token not match group|authentication/i;
const QUOTA_TEXT = /insufficient balance|usage limit exceeded|exceeded your current quota/i;
const RATE_TEXT = /rate limit|too many requests/i;
const TOOLS_REFUSED =
  /(tools?|function[ _]?call(ing|s)?|functions|tool_choice)\b[^.]{0,80}(not supported|unsupported|not support|not available|not enabled)|does not support (tools|function)/i;

/** The error a MiniMax answer carries: code from `base_resp` or from the message's "(NNNN)". */
export type MiniMaxError = { code?: number; message?: string; type?: string };

function numericCode(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*\d{1,6}\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Reads MiniMax's error out of a parsed body (undefined body: a non-JSON text); the message is bounded. Never throws. */
export function miniMaxError(body: unknown, bodyText: string): MiniMaxError {
  const base = isRecord(body) && isRecord(body.base_resp) ? body.base_resp : undefined;
  const baseCode = base ? numericCode(base.status_code) : undefined;
  if (base && baseCode !== undefined && baseCode !== 0) {
    const message = typeof base.status_msg === "string" ? providerText(base.status_msg) : undefined;
    return { code: baseCode, message };
  }
  const error = extractError(body);
  const message = providerMessageOf(error.message, body, bodyText);
  const code = numericCode(error.code) ?? numericCode(message ? TRAILING_CODE.exec(message)?.[1] : undefined);
  return { code, message, type: error.type };
}

function outcomeForCode(code: number, message: string): ValidationOutcome | undefined {
  if (KEY_CODES.has(code)) return "invalid_key";
  if (QUOTA_CODES.has(code)) return "quota_exceeded";
  if (RATE_CODES.has(code)) return "rate_limited";
  if (code === INVALID_PARAMS) return MODEL_TEXT.test(message) ? "invalid_model" : "provider_error";
  return undefined;
}

function outcomeFromText(message: string): ValidationOutcome | undefined {
  if (KEY_TEXT.test(message)) return "invalid_key";
  if (QUOTA_TEXT.test(message)) return "quota_exceeded";
  if (MODEL_TEXT.test(message)) return "invalid_model";
  if (RATE_TEXT.test(message)) return "rate_limited";
  return undefined;
}

function outcomeForStatus(status: number, message: string): ValidationOutcome {
  if (status === 401 || status === 403) return "invalid_key";
  if (status === 402) return "quota_exceeded";
  if (status === 429) return QUOTA_TEXT.test(message) ? "quota_exceeded" : "rate_limited";
  // Plain-text `404 page not found`: the API Host path is wrong.
  if (status === 404 || status < 400) return "provider_error";
  return outcomeFromText(message) ?? "provider_error";
}

// One request decides everything: the step is the check the outcome is about.
function stepFor(outcome: ValidationOutcome): ValidationStep {
  if (outcome === "invalid_key") return "key";
  if (outcome === "invalid_model") return "model";
  return "invocation";
}

/**
 * Classifies MiniMax's answer to the 1-token chat completion. A 200 passes only with `choices` and
 * no non-zero `base_resp`; codes 1004/2049 → invalid_key, 1008/2056 → quota_exceeded, 1002 →
 * rate_limited, 2013 about the model → invalid_model; other codes and bodies → provider_error
 * (a non-2xx with an unknown code falls back to its HTTP status). Message: one line, masked, ≤ 300.
 */
export function classifyMiniMax(status: number, bodyText: string, options: ClassifyOptions = {}): StepVerdict {
  const secrets = options.secrets ?? [];
  const truncated = options.truncated ?? false;
  const body = parseJsonBody(bodyText, truncated);
  const error = miniMaxError(body, bodyText);
  const message = error.message ?? "";
  const rawCode = error.code !== undefined ? String(error.code) : error.type;
  const failed = (outcome: ValidationOutcome, fallbackMessage?: string): StepVerdict => ({
    outcome,
    step: stepFor(outcome),
    httpStatus: status,
    providerCode: cleanProviderCode(rawCode, secrets),
    providerMessage: cleanProviderMessage(error.message, secrets) ?? fallbackMessage,
  });
  const byCode = error.code !== undefined && error.code !== 0 ? outcomeForCode(error.code, message) : undefined;

  if (status >= 200 && status < 300) {
    if (error.code !== undefined && error.code !== 0) return failed(byCode ?? "provider_error");
    if (isRecord(body) && Array.isArray(body.choices)) return { outcome: "valid", step: "invocation", httpStatus: status };
    const fromText = body !== undefined && error.message ? outcomeFromText(message) : undefined;
    return failed(fromText ?? "provider_error", unexpectedBody(bodyText, truncated));
  }
  return failed(byCode ?? outcomeForStatus(status, message));
}

/**
 * Reads the answer to the tool probe (see ../openai-family/tools.ts), MiniMax-aware: a 200 with a non-zero
 * `base_resp` → unknown (unsupported when it says tools are not supported); an answer cut at the
 * token cap while still inside `<think>` → unknown (the model never got to answer).
 */
export function miniMaxToolSupport(status: number, bodyText: string, truncated = false): ToolSupport {
  const body = parseJsonBody(bodyText, truncated);
  const error = miniMaxError(body, bodyText);
  if (status >= 200 && status < 300) {
    if (error.code) return error.message && TOOLS_REFUSED.test(error.message) ? "unsupported" : "unknown";
    if (stillThinking(body)) return "unknown";
  }
  return toolSupportFrom(status, bodyText, truncated, "auto");
}

function stillThinking(body: unknown): boolean {
  const choice: unknown = isRecord(body) && Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isRecord(choice) || choice.finish_reason !== "length" || !isRecord(choice.message)) return false;
  if (Array.isArray(choice.message.tool_calls) && choice.message.tool_calls.length > 0) return false;
  const content = choice.message.content;
  return typeof content === "string" && /^\s*<think>/.test(content) && !content.includes("</think>");
}
