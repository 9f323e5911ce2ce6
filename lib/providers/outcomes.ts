/**
 * What the product says for each validation outcome: the seed's exact message first, then the
 * fix. Shared by the card (role="alert"), the status detail stored with a credential, and tests.
 */
import type { ValidationOutcome, ValidationResult } from "./types";

export const OUTCOME_MESSAGES = {
  invalid_key: "Invalid key. Validation failed.",
  invalid_model: "Invalid model name. Validation failed.",
  quota_exceeded: "You exceeded your current quota",
} as const;

export type OutcomeCopy = { title: string; solution: string };

export function describeOutcome(result: ValidationResult, context: { keyUrl?: string; providerName?: string }): OutcomeCopy {
  const provider = context.providerName ?? "the provider";
  switch (result.outcome) {
    case "valid":
      return { title: "Key, model and a test call all work.", solution: "" };
    case "invalid_key":
      return {
        title: OUTCOME_MESSAGES.invalid_key,
        solution: `Double-check the key (and that it belongs to this API Host), or generate a new one${
          context.keyUrl ? ` at ${context.keyUrl}` : ""
        }.`,
      };
    case "invalid_model":
      return {
        title: OUTCOME_MESSAGES.invalid_model,
        solution: `Verify the model name and that your ${provider} account has access to it.`,
      };
    case "quota_exceeded":
      return {
        title: OUTCOME_MESSAGES.quota_exceeded,
        solution: `Check your plan and billing details with ${provider} (add credit or raise the limit), then save again.`,
      };
    case "rate_limited":
      return {
        title: `${provider} is rate-limiting requests right now. The key itself looks fine.`,
        solution: "Wait a minute and try again, or save anyway (the card will say Unverified).",
      };
    case "unreachable":
      return {
        title: `Could not reach ${result.host}${result.reason ? `: ${result.reason}` : ""}.`,
        solution: "Check the API Host and your network, then try again, or save anyway.",
      };
    case "provider_error":
      return {
        title: `${provider} returned an error${result.httpStatus ? ` (HTTP ${result.httpStatus})` : ""}.`,
        solution: "This is usually temporary: try again shortly, or save anyway.",
      };
  }
}

export function isTransient(outcome: ValidationOutcome): boolean {
  return outcome === "rate_limited" || outcome === "unreachable" || outcome === "provider_error";
}
