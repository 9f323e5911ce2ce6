/**
 * Azure OpenAI answers → validation verdicts, defensively: status first, then Azure's codes
 * (`DeploymentNotFound`, `"404"`, `OperationNotSupported`, `insufficient_quota`), then message
 * patterns. Also reads the resource's model list. Pure, so every quoted body is unit-tested.
 */
import "server-only";
import type { ClassifyOptions, StepVerdict } from "../openai-family/classify";
import {
  cleanProviderCode,
  cleanProviderMessage,
  extractError,
  isRecord,
  MAX_PROVIDER_MESSAGE,
  parseJsonBody,
  providerMessageOf,
  unexpectedBody,
} from "../openai-family/style";
import type { ValidationOutcome, ValidationStep } from "../types";

export type AzureClassifyOptions = ClassifyOptions & {
  /** Which request answered: the 1-token chat on the deployment, or the model list. */
  kind: "chat" | "models";
  /** For the hint on a bare 404 ("Resource not found"). */
  form?: "classic" | "v1";
  apiVersion?: string;
};

const DEPLOYMENT_TEXT = /deployment[^.]{0,80}(does not exist|not found)|DeploymentNotFound/i;
const WRONG_MODEL_TEXT =
  /operation does not work with the specified model|model[^.]{0,80}(does not exist|not found|is not supported)|model_not_found/i;
const MODEL_CODES = new Set(["deploymentnotfound", "operationnotsupported", "model_not_found", "modelnotfound"]);
const KEY_TEXT = /invalid subscription key|missing subscription key|access token is missing|incorrect api key|invalid api key/i;
const QUOTA_TEXT = /exceeded your current quota|insufficient[ _]quota|out of call volume quota|credit balance|billing/i;
const NETWORK_TEXT = /virtual network|firewall|private endpoint|not allowed from this ip|ip address/i;
const RATE_TEXT = /rate limit|too many requests/i;
// A reasoning model that stopped at the 1-token cap was still invoked fine.
const OUTPUT_LIMIT_TEXT = /output limit was reached|max_tokens or model output limit/i;
// A model list cut at the size cap: the 200 still proves the key.
const TRUNCATED_LIST = /^\s*\{\s*"(object"\s*:\s*"list"|data"\s*:\s*\[)/;

function outcomeFor(status: number, code: string, text: string, kind: AzureClassifyOptions["kind"]): ValidationOutcome | "valid" {
  if (status === 401) return "invalid_key";
  if (status === 403) {
    if (QUOTA_TEXT.test(text)) return "quota_exceeded";
    return NETWORK_TEXT.test(text) ? "provider_error" : "invalid_key";
  }
  if (status === 402) return "quota_exceeded";
  if (status === 429) return code === "insufficient_quota" || QUOTA_TEXT.test(text) ? "quota_exceeded" : "rate_limited";
  if (status === 404) return code === "deploymentnotfound" || DEPLOYMENT_TEXT.test(text) ? "invalid_model" : "provider_error";
  if (status >= 500 || status < 400) return "provider_error";
  if (kind === "chat" && status === 400 && OUTPUT_LIMIT_TEXT.test(text)) return "valid";
  if (MODEL_CODES.has(code) || DEPLOYMENT_TEXT.test(text) || WRONG_MODEL_TEXT.test(text)) return "invalid_model";
  if (KEY_TEXT.test(text)) return "invalid_key";
  if (code === "insufficient_quota" || QUOTA_TEXT.test(text)) return "quota_exceeded";
  if (RATE_TEXT.test(text)) return "rate_limited";
  return "provider_error";
}

function stepFor(outcome: ValidationOutcome, status: number, kind: AzureClassifyOptions["kind"]): ValidationStep {
  if (outcome === "invalid_key" || kind === "models") return "key";
  if (outcome === "invalid_model") return "model";
  // A bare 404 means the endpoint or api-version is wrong: nothing was checked yet.
  return status === 404 ? "key" : "invocation";
}

function resourceNotFoundHint(options: AzureClassifyOptions): string {
  if (options.form === "v1") return "check that the API Host is the resource endpoint (https://{resource}.openai.azure.com/openai/v1).";
  const version = options.apiVersion ? ` ("${options.apiVersion.slice(0, 40)}")` : "";
  return `check the API Version${version} and that the API Host is the resource endpoint (https://{resource}.openai.azure.com).`;
}

/**
 * Classifies one Azure OpenAI answer. 401 → invalid_key (before anything else: Azure checks the
 * key first); 404 `DeploymentNotFound` → invalid_model; any other 404 ("Resource not found": a
 * wrong path or api-version) → provider_error with a hint; 429 → rate_limited unless it is
 * `insufficient_quota`; 400 `OperationNotSupported` (not a chat model) → invalid_model. A 2xx
 * passes only with the expected shape. The message is one line, masked, at most 300 characters.
 */
export function classifyAzure(status: number, bodyText: string, options: AzureClassifyOptions): StepVerdict {
  const secrets = options.secrets ?? [];
  const truncated = options.truncated ?? false;
  const body = parseJsonBody(bodyText, truncated);
  const error = extractError(body);
  const rawMessage = providerMessageOf(error.message, body, bodyText);
  const rawCode = error.code ?? error.type;
  const code = (error.code ?? "").toLowerCase();
  const text = rawMessage ?? "";
  const failed = (outcome: ValidationOutcome, fallbackMessage?: string): StepVerdict => {
    let providerMessage = cleanProviderMessage(rawMessage, secrets) ?? fallbackMessage;
    if (outcome === "provider_error" && status === 404) {
      const hint = resourceNotFoundHint(options);
      const head = (providerMessage ?? "Not found").replace(/[.\s]+$/, "");
      providerMessage = `${head.slice(0, MAX_PROVIDER_MESSAGE - hint.length - 3)}: ${hint}`;
    }
    return {
      outcome,
      step: stepFor(outcome, status, options.kind),
      httpStatus: status,
      providerCode: cleanProviderCode(rawCode, secrets),
      providerMessage,
    };
  };

  if (status >= 200 && status < 300) {
    const valid =
      options.kind === "chat"
        ? isRecord(body) && Array.isArray(body.choices)
        : truncated
          ? TRUNCATED_LIST.test(bodyText)
          : isRecord(body) && Array.isArray(body.data);
    if (valid) return { outcome: "valid", step: options.kind === "chat" ? "invocation" : "key", httpStatus: status };
    const fromContent = body !== undefined && rawMessage ? outcomeFor(400, code, text, options.kind) : undefined;
    return failed(fromContent && fromContent !== "valid" ? fromContent : "provider_error", unexpectedBody(bodyText, truncated));
  }
  const outcome = outcomeFor(status, code, text, options.kind);
  return outcome === "valid" ? { outcome, step: "invocation", httpStatus: status } : failed(outcome);
}

/**
 * Model ids from the resource's model list (`{data:[{id, capabilities:{chat_completion}}]}`),
 * leaving out models that cannot chat; from a list cut at the size cap, the complete ids before the cut.
 */
export function azureModelIds(bodyText: string, truncated: boolean, limit = 500): string[] | undefined {
  const ids = new Set<string>();
  if (truncated) {
    for (const match of bodyText.matchAll(/"id"\s*:\s*"([^"\\]{1,200})"/g)) {
      if (ids.size >= limit) break;
      if (match[1]) ids.add(match[1]);
    }
    return [...ids];
  }
  const body = parseJsonBody(bodyText);
  const data = isRecord(body) ? body.data : undefined;
  if (!Array.isArray(data)) return undefined;
  for (const item of data) {
    if (!isRecord(item) || typeof item.id !== "string" || !item.id.trim() || item.id.length > 200) continue;
    if (isRecord(item.capabilities) && item.capabilities.chat_completion === false) continue;
    ids.add(item.id.trim());
    if (ids.size >= limit) break;
  }
  return [...ids];
}
