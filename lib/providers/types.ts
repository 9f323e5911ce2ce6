/**
 * Contracts for providers: the catalog entry that drives a card, the config a validator gets, and
 * the result it returns. One adapter per provider implements `ProviderAdapter`.
 */
import type { GatewaySpec } from "@/lib/gateway/types";

export const PROVIDER_IDS = [
  "openai",
  "anthropic",
  "gemini",
  "openrouter",
  "qwen",
  "deepseek",
  "minimax",
  "zai",
  "azure",
  "bedrock",
  "openai-compatible",
] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && (PROVIDER_IDS as readonly string[]).includes(value);
}

/** A field on a provider card besides API Host and Model Type. */
export type ProviderField = {
  /** Key in `secrets` (secret fields) or `extra` (others). */
  name: string;
  /** Visible label, part of the UI contract ("API Key", "API Version", …). */
  label: string;
  /** Secret fields are encrypted, write-only, and shown back only as a hint. */
  secret: boolean;
  required: boolean;
  placeholder?: string;
  defaultValue?: string;
  help?: string;
  /** HTML input mode hint. */
  type?: "text" | "password" | "url";
};

export type ProviderDefinition<Id extends ProviderId = ProviderId> = {
  id: Id;
  /** Display name, also the accessible name of the card's region. */
  name: string;
  /** One line shown under the name. */
  description: string;
  /** Pre-filled API Host; absent for providers with a per-account endpoint (Azure, Bedrock, OpenAI Compatible). */
  defaultApiHost?: string;
  /** Placeholder for API Host when there is no default. */
  apiHostPlaceholder?: string;
  /** Secret and non-secret fields, in card order. API Key is one of them (name "apiKey"). */
  fields: ProviderField[];
  /** Where to create or find a key. */
  keyUrl: string;
  /** API reference. */
  docsUrl: string;
  /** Placeholder / suggestion for Model Type. */
  defaultModel: string;
  /** Documented model names offered when the provider has no list endpoint (or before a key is checked). */
  suggestedModels: string[];
};

/** What a validator is given. Secrets are plaintext here: never log this object. */
export type CredentialConfig = {
  provider: ProviderId;
  /** As entered: trailing slashes and a doubled /v1 are the adapter's to normalise. */
  apiHost: string;
  model: string;
  /** Decrypted secret fields by name (e.g. { apiKey }). Empty strings are absent. */
  secrets: Record<string, string>;
  /** Non-secret extra fields by name (e.g. { apiVersion, deploymentName }). */
  extra: Record<string, string>;
};

export type ValidationOutcome =
  "valid" | "invalid_key" | "invalid_model" | "quota_exceeded" | "rate_limited" | "unreachable" | "provider_error";

export type ValidationStep = "key" | "model" | "invocation";

export type ValidationResult = {
  outcome: ValidationOutcome;
  /** Which check decided the outcome (the last one run when valid). */
  step: ValidationStep;
  /** HTTP status of the deciding response, when there was one. */
  httpStatus?: number;
  /** Machine-readable code/type from the provider's body, when there was one. */
  providerCode?: string;
  /** The provider's own message, single line, at most 300 chars, with any key in it masked. */
  providerMessage?: string;
  /** For unreachable: what happened ("timed out after 10 s", "DNS lookup failed", …). */
  reason?: string;
  /** Host name the failing request went to. */
  host: string;
  /** Model ids seen while validating (from a list endpoint), for suggestions. */
  models?: string[];
};

export type ValidateOptions = {
  /** Aborted when the whole validation's deadline passes. */
  signal: AbortSignal;
};

/** Whether the model accepts a function/tool definition and calls it. */
export type ToolSupport = "supported" | "unsupported" | "unknown";

export interface ProviderAdapter {
  /** Key, then model, then a 1-token invocation; classified per providers.md. Never throws for HTTP outcomes. */
  validate(config: CredentialConfig, options: ValidateOptions): Promise<ValidationResult>;
  /**
   * The provider's model ids for suggestions (through the guarded fetch), or null when the
   * provider has no list endpoint (the catalog's suggestedModels are used instead). Throws on failure.
   */
  listModels(config: CredentialConfig, options: ValidateOptions): Promise<string[] | null>;
  /**
   * After a successful validation: one small request offering a single tool (output capped at a few
   * dozen tokens) and forcing or strongly inviting its use. "supported" when the model calls it,
   * "unsupported" when the provider refuses tools for this model or answers without calling it,
   * "unknown" on any other failure (never throws).
   */
  checkTools(config: CredentialConfig, options: ValidateOptions): Promise<ToolSupport>;
}

/** A provider's server-side pieces, one entry per provider in ./registry.ts. */
export type ServerProvider = {
  adapter: ProviderAdapter;
  gateway: GatewaySpec;
};
