/**
 * The agent API's contract as zod schemas: what `GET /api/v1/config` accepts and answers, and the
 * error body every agent-facing endpoint shares. The route parses its query with these, resolve.ts
 * types its answer from them, and lib/openapi/document.ts publishes them — one source, so the
 * published document cannot drift from what the code does. Pure zod: safe on server and client.
 */
import * as z from "zod";
import { errorStatus } from "@/lib/errors";
import { PROFILE_NAME_PATTERN } from "@/lib/profiles/name";
import { PROVIDER_IDS } from "@/lib/providers/types";

/** Profile names are URL slugs (they appear in gateway paths): lib/profiles/name.ts, which the database checks too. */
export { PROFILE_NAME_PATTERN };

export const ProviderIdSchema = z.enum(PROVIDER_IDS).meta({ id: "ProviderId", description: "A provider id.", example: "openai" });

export const ProfileNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(PROFILE_NAME_PATTERN)
  .meta({ description: "A profile name: lowercase letters, digits and inner hyphens, 1–40 characters.", example: "coding" });

export const CONFIG_FORMATS = ["json", "env"] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];

export const ConfigQuery = z
  .object({
    provider: ProviderIdSchema.optional().meta({
      description: "Answer with this provider's credential instead of the default model. Not together with `profile`.",
      example: "anthropic",
    }),
    profile: ProfileNameSchema.optional().meta({
      description: "Answer with this model profile: its first usable entry, the others as `fallbacks`. Not together with `provider`.",
      example: "coding",
    }),
    format: z.enum(CONFIG_FORMATS).default("json").meta({
      description: "`json` (default) answers the ConfigAnswer object; `env` answers the same as dotenv text (`text/plain`).",
      example: "json",
    }),
  })
  .refine((query) => !(query.provider && query.profile), {
    message: "Use either ?provider= or ?profile=, not both.",
    path: ["profile"],
  });

export type ConfigQuery = z.output<typeof ConfigQuery>;

/** Messages for each parameter that does not parse; `provider`'s is the one agents have always seen. */
const QUERY_MESSAGES: Record<keyof ConfigQuery, string> = {
  provider: "Unknown provider. Use one of the ids listed in the docs, e.g. ?provider=openai.",
  profile: "Invalid profile name. Profile names are 1–40 lowercase letters, digits and hyphens, e.g. ?profile=coding.",
  format: "Unknown format. Use ?format=json (the default) or ?format=env.",
};

const NO_QUERY = Object.freeze({ ok: true as const, query: Object.freeze(ConfigQuery.parse({})) });

/**
 * Parses `/api/v1/config`'s query. Each parameter at most once (a repeated one is ambiguous, so it
 * is refused rather than guessed); unknown parameters are ignored (agents add cache busters).
 */
export function parseConfigQuery(params: URLSearchParams): { ok: true; query: ConfigQuery } | { ok: false; message: string } {
  if (params.size === 0) return NO_QUERY; // what most agents send: the defaults, without a schema pass
  const raw: Record<string, string> = {};
  for (const name of Object.keys(QUERY_MESSAGES) as (keyof ConfigQuery)[]) {
    const values = params.getAll(name);
    if (values.length > 1) return { ok: false, message: `Give ?${name}= at most once.` };
    if (values.length === 1) raw[name] = values[0]!;
  }
  const parsed = ConfigQuery.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === "custom") return { ok: false, message: issue.message };
  return { ok: false, message: QUERY_MESSAGES[issue.path[0] as keyof ConfigQuery] ?? "Invalid query." };
}

const ConfigSource = z
  .object({
    type: z.enum(["user", "org"]).meta({ description: "Whether a person or an organization owns the credential." }),
    id: z.uuid().meta({ description: "The owner's id.", example: "6f1c2a4e-3b7d-4c1e-9a52-2f8e0d9b7c31" }),
    name: z.string().meta({ description: "The owner's display name.", example: "Ada Lovelace" }),
    via: z.enum(["user_default", "org_default", "provider", "profile"]).meta({
      description: "How it was chosen: the user's default, the organization's default, `?provider=`, or a profile (`?profile=`).",
      example: "user_default",
    }),
  })
  .meta({ id: "ConfigSource", description: "Whose credential answered, and how it was chosen." });

const EXAMPLE_ENTRY = {
  delivery: "key",
  provider: "openai",
  providerName: "OpenAI",
  model: "gpt-4o",
  apiHost: "https://api.openai.com/v1",
  apiKey: "sk-proj-…",
  extra: {},
  parameters: { temperature: 0.2 },
  capabilities: { tools: "supported" },
  source: { type: "user", id: "6f1c2a4e-3b7d-4c1e-9a52-2f8e0d9b7c31", name: "Ada Lovelace", via: "user_default" },
  status: "valid",
  validatedAt: "2026-11-28T10:00:00.000Z",
} as const;

export const AgentConfig = z
  .object({
    delivery: z.enum(["key", "gateway"]).meta({
      description:
        "`key`: apiHost and apiKey are the provider's own. `gateway`: apiHost is BYOK's gateway for this credential and apiKey is the agent token that asked; the provider key never leaves BYOK.",
    }),
    provider: z.string().meta({ description: "The provider id (one of ProviderId).", example: "openai" }),
    providerName: z.string().meta({ description: "The provider's display name.", example: "OpenAI" }),
    model: z.string().meta({ description: "The model to ask for.", example: "gpt-4o" }),
    apiHost: z.string().meta({
      description: "Base URL to send requests to: the provider's API host, or the gateway address in gateway mode.",
      example: "https://api.openai.com/v1",
    }),
    apiKey: z.string().nullable().meta({
      description:
        "The key to send (the provider's in key mode, the agent token in gateway mode); null when the credential has none (e.g. Bedrock's AWS keys are in `extra`).",
    }),
    extra: z.record(z.string(), z.string()).meta({
      description:
        "Other provider fields (e.g. Azure's apiVersion and deploymentName; in key mode also secret fields besides the key, such as Bedrock's AWS keys).",
      example: { apiVersion: "2024-10-21", deploymentName: "my-gpt4" },
    }),
    parameters: z.record(z.string(), z.unknown()).meta({
      description: "Model parameters the owner set (temperature, max tokens …); `{}` when none.",
      example: { temperature: 0.2 },
    }),
    capabilities: z
      .object({ tools: z.enum(["supported", "unsupported", "unknown"]).meta({ description: "Whether the model accepts tool calls." }) })
      .meta({ description: "What the model was found to support when the credential was checked." }),
    source: ConfigSource,
    status: z.string().meta({ description: "The credential's last check: valid, invalid or unverified.", example: "valid" }),
    validatedAt: z.iso.datetime().nullable().meta({ description: "When the credential was last checked (ISO 8601), or null." }),
  })
  .meta({
    id: "AgentConfig",
    description: "One resolved model configuration. Later versions may add fields: ignore the ones you do not know.",
    example: EXAMPLE_ENTRY,
  });

export type AgentConfig = z.infer<typeof AgentConfig>;

export const ConfigAnswer = AgentConfig.extend({
  profile: z.string().optional().meta({ description: "With `?profile=`: the profile's name.", example: "coding" }),
  fallbacks: z.array(AgentConfig).optional().meta({
    description: "With `?profile=`: the profile's other usable entries, in order, to try when the first fails.",
  }),
}).meta({
  id: "ConfigAnswer",
  description: "The answer of `GET /api/v1/config`: an AgentConfig, plus `profile` and `fallbacks` when a profile was asked for.",
  example: EXAMPLE_ENTRY,
});

export type ConfigAnswer = z.infer<typeof ConfigAnswer>;

/** Codes `GET /api/v1/config` answers with. */
export const CONFIG_ERROR_CODES = [
  "invalid_request",
  "unauthorized",
  "no_default_model",
  "provider_not_configured",
  "profile_not_found",
  "no_usable_model",
  "ambiguous_provider",
  "unrepresentable_value",
  "rate_limited",
  "unavailable",
  "decryption_failed",
] as const;

/** Codes the gateway answers with itself (any other answer is the provider's own, passed through). */
export const GATEWAY_ERROR_CODES = [
  "unauthorized",
  "forbidden",
  "path_not_allowed",
  "not_found",
  "payload_too_large",
  "rate_limited",
  "budget_exceeded",
  "upstream_unreachable",
  "upstream_timeout",
  "unavailable",
  "decryption_failed",
] as const;

/** The profile gateway answers the gateway's codes, and the profile's own two. */
export const PROFILE_GATEWAY_ERROR_CODES = [...GATEWAY_ERROR_CODES, "profile_not_found", "no_usable_model"] as const;

export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];
export type AgentErrorCode = ConfigErrorCode | GatewayErrorCode;

export const AGENT_ERROR_CODES = [...new Set<AgentErrorCode>([...CONFIG_ERROR_CODES, ...GATEWAY_ERROR_CODES])] as [
  AgentErrorCode,
  ...AgentErrorCode[],
];

/**
 * Statuses of codes that lib/errors.ts does not map yet (their features land separately). The
 * mapping in lib/errors.ts wins as soon as it has the code, so the document follows the code.
 */
const PENDING_STATUS: Partial<Record<AgentErrorCode, number>> = {
  budget_exceeded: 429,
};

/** The HTTP status an agent sees with `code`. */
export function agentErrorStatus(code: AgentErrorCode): number {
  const status = (errorStatus as Partial<Record<string, number>>)[code] ?? PENDING_STATUS[code];
  if (status === undefined) throw new Error(`No HTTP status for error code ${code}`);
  return status;
}

export const ErrorBody = z
  .object({
    error: z.looseObject({
      code: z.enum(AGENT_ERROR_CODES).meta({ description: "Stable, machine-readable: branch on this." }),
      message: z.string().meta({ description: "For people: what went wrong and what to do. May change; do not parse it." }),
    }),
  })
  .meta({
    id: "ErrorBody",
    description: "BYOK's own errors. Some codes add fields to `error` (ambiguous_provider: `orgs`, the slugs to choose from).",
    example: {
      error: { code: "no_default_model", message: "No default model is set. Choose one with “Set as Default” on the Models page." },
    },
  });

export type ErrorBody = z.infer<typeof ErrorBody>;
