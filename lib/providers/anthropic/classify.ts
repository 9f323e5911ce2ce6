/**
 * Turns one Anthropic API answer into a validation verdict, defensively: status first, then the
 * `error.type` of Anthropic's envelope, then message patterns (a 400 can be quota: "Your credit
 * balance is too low…"). Pure, so every quoted body is unit-tested.
 */
import "server-only";
import { errorVerdict, type ClassifyOptions, type StepVerdict } from "../openai-family/classify";
import { extractError, isRecord, parseJsonBody, providerMessageOf, scanPrefix, unexpectedBody } from "../openai-family/style";
import type { ToolSupport, ValidationOutcome, ValidationStep } from "../types";

// Anthropic's error types and the status each one stands for (used when a 2xx carries an error).
const TYPE_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const QUOTA_TEXT =
  /credit balance is too low|purchase credits|reached your specified api usage limits|usage limits?( has been| was)? reached|insufficient[ _](credits?|balance|quota)|billing/i;
const KEY_TEXT =
  /invalid x-api-key|x-api-key header is required|invalid (api|bearer) key|organization has been disabled|oauth authentication/i;
const MODEL_TEXT = /^model:|model[^.]{0,80}(not found|does not exist|is not (available|supported))/i;

// A model list cut at the size cap: the 200 still proves the key.
const TRUNCATED_LIST = /^\s*\{\s*"data"\s*:\s*\[/;

/** Anthropic's `{type:"error",error:{type,message}}`, else whatever extractError finds (proxies). Bounded text. */
function anthropicError(body: unknown): { type?: string; message?: string } {
  if (isRecord(body) && isRecord(body.error)) {
    const { type, message } = body.error;
    if (typeof type === "string" || typeof message === "string") {
      return {
        type: typeof type === "string" ? scanPrefix(type) : undefined,
        message: typeof message === "string" ? scanPrefix(message) : undefined,
      };
    }
  }
  const error = extractError(body);
  return { type: error.type ?? error.code, message: error.message };
}

function expectedShape(step: ValidationStep, body: unknown, text: string, truncated: boolean): boolean {
  if (step === "key") return truncated ? TRUNCATED_LIST.test(text) : isRecord(body) && Array.isArray(body.data);
  if (!isRecord(body)) return false;
  if (step === "model") return typeof body.id === "string";
  return body.type === "message" || Array.isArray(body.content);
}

function outcomeFor(status: number, step: ValidationStep, type: string | undefined, text: string): ValidationOutcome {
  if (status === 401) return "invalid_key";
  if (status === 402) return "quota_exceeded";
  if (status === 403) {
    // A key that may not use this model; at the key step (or a disabled org) it is the key.
    if (step === "key" || KEY_TEXT.test(text)) return "invalid_key";
    return "invalid_model";
  }
  if (status === 429) return QUOTA_TEXT.test(text) ? "quota_exceeded" : "rate_limited";
  if (status >= 500 || status < 400) return "provider_error";
  if (status === 404) {
    // A 404 on the list endpoint means the API Host path is wrong, not the model.
    return step === "key" ? "provider_error" : "invalid_model";
  }
  if (QUOTA_TEXT.test(text)) return "quota_exceeded";
  if (type === "authentication_error" || KEY_TEXT.test(text)) return "invalid_key";
  if (type === "not_found_error" || MODEL_TEXT.test(text)) return step === "key" ? "provider_error" : "invalid_model";
  return "provider_error";
}

/**
 * Classifies one Anthropic answer for a validation step: 401 → invalid_key; 400 credit balance /
 * usage limits and 402 → quota_exceeded; 404 not_found_error → invalid_model (provider_error on the
 * list endpoint); 403 → invalid_key at the key step, else invalid_model; 429 → rate_limited;
 * 500/529 and anything unrecognised → provider_error. A 2xx passes only with the expected shape.
 */
export function classifyAnthropic(status: number, bodyText: string, step: ValidationStep, options: ClassifyOptions = {}): StepVerdict {
  const secrets = options.secrets ?? [];
  const truncated = options.truncated ?? false;
  const body = parseJsonBody(bodyText, truncated);
  const error = anthropicError(body);
  const rawMessage = providerMessageOf(error.message, body, bodyText);
  const verdict = errorVerdict(step, status, error.type, rawMessage, secrets);
  const text = rawMessage ?? "";

  if (status >= 200 && status < 300) {
    if (expectedShape(step, body, bodyText, truncated)) return { outcome: "valid", step, httpStatus: status };
    // An error envelope under a 2xx: judge it by the status its type stands for.
    const typeStatus = error.type ? TYPE_STATUS[error.type] : undefined;
    if (typeStatus) return { ...verdict, outcome: outcomeFor(typeStatus, step, error.type, text) };
    return { ...verdict, providerMessage: verdict.providerMessage ?? unexpectedBody(bodyText, truncated) };
  }
  return { ...verdict, outcome: outcomeFor(status, step, error.type, text) };
}

const TOOLS_UNSUPPORTED =
  /(does not|doesn't|do not|not) support (tools|tool[ _-]?use|function calling)|tool[ _-]?use is not (supported|available|enabled)|tools? (is|are) not (supported|available|enabled)/i;

/**
 * Judges the tool probe's answer: a `tool_use` content block → supported; a message without one →
 * unsupported (unknown when max_tokens cut it before any text); a 400 saying tools are not
 * supported → unsupported; anything else (auth, quota, 5xx, odd bodies) → unknown.
 */
export function anthropicToolSupport(status: number, bodyText: string, truncated = false): ToolSupport {
  const body = parseJsonBody(bodyText, truncated);
  if (status >= 200 && status < 300) {
    if (!isRecord(body) || !Array.isArray(body.content)) return "unknown";
    const blocks = body.content.filter(isRecord);
    if (blocks.some((block) => block.type === "tool_use")) return "supported";
    const silent = !blocks.some((block) => block.type === "text" && typeof block.text === "string" && block.text.trim());
    return body.stop_reason === "max_tokens" && silent ? "unknown" : "unsupported";
  }
  if (status !== 400) return "unknown";
  return TOOLS_UNSUPPORTED.test(anthropicError(body).message ?? "") ? "unsupported" : "unknown";
}
