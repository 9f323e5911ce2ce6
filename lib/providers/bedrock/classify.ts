/**
 * Turns one AWS Bedrock answer into a validation verdict: HTTP status, then the error type (the
 * `x-amzn-ErrorType` header, else a `__type`/`code` body field), then message patterns. Pure.
 */
import "server-only";
import { errorVerdict, type ClassifyOptions, type StepVerdict } from "../openai-family/classify";
import { isRecord, parseJsonBody, providerMessageOf, providerText, unexpectedBody } from "../openai-family/style";
import type { ValidationOutcome, ValidationStep } from "../types";

export type BedrockClassifyOptions = ClassifyOptions & {
  /** The `x-amzn-ErrorType` response header, when there was one. */
  errorTypeHeader?: string | null;
};

export type BedrockErrorInfo = { type?: string; message?: string };

// Authentication failures: the key pair, token or API key itself is wrong.
const KEY_TYPES = new Set([
  "unrecognizedclientexception",
  "invalidsignatureexception",
  "incompletesignatureexception",
  "missingauthenticationtokenexception",
  "missingauthenticationtoken",
  "expiredtokenexception",
  "invalidclienttokenid",
  "signaturedoesnotmatch",
  "authfailure",
]);
const RATE_TYPES = new Set(["throttlingexception", "toomanyrequestsexception"]);
// An account quota (often 0 or a daily token cap until AWS raises it): retrying in a minute does not
// help, the user has to ask AWS for more, so it is quota_exceeded rather than rate_limited.
const QUOTA_TYPES = new Set(["servicequotaexceededexception"]);
const PROVIDER_TYPES = new Set([
  "internalserverexception",
  "serviceunavailableexception",
  "modelnotreadyexception",
  "modeltimeoutexception",
  "modelerrorexception",
  "modelstreamerrorexception",
  "unknownoperationexception",
  "serializationexception",
]);

const KEY_TEXT =
  /security token included in the request is (invalid|expired)|signature we calculated does not match|api key|bearer token|authentication failed|missing authentication token|credential should be scoped|signature expired|callwithbearertoken/i;
// The principal is authenticated but may not call this action (an IAM policy says no).
const NOT_AUTHORIZED = /not authorized to perform|no identity-based policy allows|explicit deny/i;
const MODEL_ACCESS_TEXT = /(don't|do not) have access to the model|model access|aws-marketplace|use case details/i;
// "Too many tokens per day": the account's daily quota, not a per-minute burst.
const DAILY_QUOTA_TEXT = /per day|daily/i;
const QUOTA_TEXT = /service quota|quota for your account|exceeds? (the|your) quota/i;

// `ThrottlingException:http://internal.amazon.com/coral/…` or `com.amazon.coral.service#ExpiredTokenException` → bare name.
function bareType(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw.split(":")[0]!.split("#").pop()!.trim();
  return name || undefined;
}

// A string field (or header) as bounded text; numbers do not count here.
function asText(value: unknown): string | undefined {
  return typeof value === "string" ? providerText(value) : undefined;
}

/** Error type and message from the header and a parsed body (`message`/`Message`, `__type`/`code`), bounded. */
export function bedrockErrorInfo(body: unknown, errorTypeHeader?: string | null): BedrockErrorInfo {
  const root = isRecord(body) ? body : undefined;
  const type =
    bareType(asText(errorTypeHeader)) ?? bareType(asText(root?.__type)) ?? bareType(asText(root?.code)) ?? bareType(asText(root?.Code));
  const message = asText(root?.message) ?? asText(root?.Message) ?? asText(root?.errorMessage);
  return { type, message };
}

/**
 * Whether a 403 from ListFoundationModels means "authenticated, but this identity may not list
 * models" (an IAM policy allows Converse only): the key check is then inconclusive, not failed.
 */
export function listNotPermitted(status: number, bodyText: string, errorTypeHeader?: string | null): boolean {
  if (status !== 403) return false;
  const body = parseJsonBody(bodyText);
  const { type, message } = bedrockErrorInfo(body, errorTypeHeader);
  if (type?.toLowerCase() !== "accessdeniedexception" || !message) return false;
  return NOT_AUTHORIZED.test(message) && !KEY_TEXT.test(message);
}

function outcomeForType(type: string, step: ValidationStep, text: string): ValidationOutcome | undefined {
  if (KEY_TYPES.has(type)) return "invalid_key";
  if (type === "accessdeniedexception") {
    if (KEY_TEXT.test(text)) return "invalid_key";
    return step === "key" ? "invalid_key" : "invalid_model";
  }
  if (QUOTA_TYPES.has(type)) return "quota_exceeded";
  if (RATE_TYPES.has(type)) return DAILY_QUOTA_TEXT.test(text) ? "quota_exceeded" : "rate_limited";
  if (PROVIDER_TYPES.has(type)) return "provider_error";
  // Our request is fixed and well-formed: what varies, and what Converse validates, is the model id.
  if (type === "validationexception") return step === "key" ? "provider_error" : "invalid_model";
  if (type === "resourcenotfoundexception") return step === "key" ? "provider_error" : "invalid_model";
  return undefined;
}

function outcomeForStatus(status: number, step: ValidationStep, text: string): ValidationOutcome {
  if (status === 401) return "invalid_key";
  if (status === 403) return step !== "key" && MODEL_ACCESS_TEXT.test(text) ? "invalid_model" : "invalid_key";
  if (status === 429) return QUOTA_TEXT.test(text) || DAILY_QUOTA_TEXT.test(text) ? "quota_exceeded" : "rate_limited";
  if (status >= 500 || status < 400) return "provider_error";
  if (KEY_TEXT.test(text)) return "invalid_key";
  if (QUOTA_TEXT.test(text)) return "quota_exceeded";
  if (step !== "key" && (MODEL_ACCESS_TEXT.test(text) || /model identifier|model id/i.test(text))) return "invalid_model";
  return "provider_error";
}

// A cut ListFoundationModels answer still proves the key: the 200 came back.
const TRUNCATED_LIST = /^\s*\{\s*"modelSummaries"\s*:\s*\[/;

function expectedShape(step: ValidationStep, body: unknown, text: string, truncated: boolean): boolean {
  if (step === "key") return truncated ? TRUNCATED_LIST.test(text) : isRecord(body) && Array.isArray(body.modelSummaries);
  return isRecord(body) && isRecord(body.output);
}

/**
 * Classifies one Bedrock answer for a validation step. UnrecognizedClient / InvalidSignature /
 * other signature errors / 401 → invalid_key; AccessDenied → invalid_model at the invocation
 * (invalid_key when it is about the API key); Validation / ResourceNotFound at the invocation →
 * invalid_model; ServiceQuotaExceeded or a daily token limit → quota_exceeded; Throttling →
 * rate_limited; 5xx, ModelNotReady and anything unrecognised → provider_error. A 2xx passes only
 * with the expected shape. The message is one line, masked, at most 300 characters.
 */
export function classifyBedrock(status: number, bodyText: string, step: ValidationStep, options: BedrockClassifyOptions = {}): StepVerdict {
  const secrets = options.secrets ?? [];
  const truncated = options.truncated ?? false;
  const body = parseJsonBody(bodyText, truncated);
  const info = bedrockErrorInfo(body, options.errorTypeHeader);
  const rawMessage = providerMessageOf(info.message, body, bodyText);
  const verdict = errorVerdict(step, status, info.type, rawMessage, secrets);
  const text = rawMessage ?? "";

  if (status >= 200 && status < 300) {
    if (expectedShape(step, body, bodyText, truncated)) return { outcome: "valid", step, httpStatus: status };
    return { ...verdict, providerMessage: verdict.providerMessage ?? unexpectedBody(bodyText, truncated) };
  }
  // A 5xx is the provider's whatever the type says; a 3xx is never followed.
  if (status >= 500 || status < 400) return verdict;
  const type = info.type?.toLowerCase();
  const outcome = (type && outcomeForType(type, step, text)) || outcomeForStatus(status, step, text);
  return { ...verdict, outcome };
}
