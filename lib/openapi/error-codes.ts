/**
 * What each agent-facing error code means, and a message of the kind an agent receives with it.
 * The document turns these into one example per code under each error status, which is where
 * /docs/api reads them from.
 */
import type { AgentErrorCode } from "@/lib/config/contract";

export type ErrorCodeInfo = { summary: string; message: string; details?: Record<string, unknown> };

export const ERROR_CODE_INFO: Record<AgentErrorCode, ErrorCodeInfo> = {
  invalid_request: {
    summary: "A query parameter is unknown, malformed or repeated, or `provider` and `profile` were both given.",
    message: "Unknown provider. Use one of the ids listed in the docs, e.g. ?provider=openai.",
  },
  unauthorized: {
    summary: "The agent token is missing, malformed, unknown, revoked or expired (one answer for all).",
    message: "Missing, invalid, expired or revoked agent token.",
  },
  forbidden: {
    summary: "The token is valid but may not use this credential (not shared with its owner, or no longer).",
    message: "This agent token may not use this credential.",
  },
  path_not_allowed: {
    summary: "The gateway forwards only the provider's inference and model-listing paths, each with its own method.",
    message: "The gateway forwards only model requests and model listings for this provider.",
  },
  not_found: { summary: "No credential (or profile) with this id or name.", message: "No such credential." },
  no_default_model: {
    summary: "Nothing is set as default for the token's owner (nor for their organization).",
    message: "No default model is set. Choose one with “Set as Default” on the Models page.",
  },
  provider_not_configured: {
    summary: "With `?provider=`: no credential of that provider is available to this token.",
    message: "No Anthropic credential is available to this token.",
  },
  profile_not_found: {
    summary: "With `?profile=`: no profile of that name is available to this token.",
    message: "No profile named “coding” is available to this token.",
  },
  no_usable_model: {
    summary: "With `?profile=`: the profile exists, but none of its entries may be used by this token now.",
    message: "None of the models in profile “coding” is available to this token.",
  },
  ambiguous_provider: {
    summary:
      "With `?provider=` and a personal token without a fallback organization: several of the user's organizations could answer. `error.orgs` lists their slugs.",
    message:
      "Several of your organizations have a credential for OpenAI you may use (acme, globex). Create a token whose Fallback organization is the one to use (Agent → Tokens).",
    details: { orgs: ["acme", "globex"] },
  },
  unrepresentable_value: {
    summary:
      "With `?format=env`: a value cannot be written as dotenv text (a quote, line break or control character). Ask for JSON instead.",
    message: "BYOK_API_KEY cannot be written as dotenv text: it contains a line break. Use ?format=json.",
  },
  payload_too_large: { summary: "The request body is over the gateway's limit.", message: "The request body is larger than 32 MiB." },
  rate_limited: {
    summary: "Too many requests for this token, or too many failed ones from this address. Wait `Retry-After` seconds.",
    message: "Too many requests for this token. Retry later.",
  },
  budget_exceeded: {
    summary:
      "A monthly budget that applies (the credential's, the member's or the token's) is spent. `Retry-After` is the time to the next month (UTC); raising the limit lifts it sooner.",
    message:
      "The monthly request limit of this credential's budget (1000) is reached. It resets when the month turns (UTC) or when the limit is raised.",
  },
  upstream_unreachable: {
    summary: "BYOK could not connect to the provider, or its answer broke off.",
    message: "Could not reach the provider at api.openai.com: connection refused.",
  },
  upstream_timeout: {
    summary: "The provider sent nothing within the gateway's time limit.",
    message: "The provider at api.openai.com sent nothing for 60 s.",
  },
  unavailable: {
    summary: "BYOK cannot answer right now (e.g. its database is unreachable). Retry after `Retry-After` seconds.",
    message: "BYOK cannot answer right now. Retry shortly.",
  },
  decryption_failed: {
    summary: "The stored key cannot be decrypted (e.g. the master key changed); its owner must enter it again.",
    message: "The stored key cannot be decrypted: the stored secret does not decrypt. Enter the key again to replace it.",
  },
};
