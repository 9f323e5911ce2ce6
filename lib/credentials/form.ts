/**
 * Parsing a provider card's form. Base fields are fixed; the provider's own fields come from the
 * catalog (FormData names `field.<name>`). Secret fields may be left empty to keep the stored value.
 */
import { z } from "zod";
import { getProvider } from "@/lib/providers/catalog";
import { PROVIDER_IDS, type ProviderDefinition, type ProviderId } from "@/lib/providers/types";
import { FIELD_PREFIX } from "./field-names";
import { PARAMETER_LIMITS, parameterShapeProblem } from "./parameters";

const apiHostSchema = z
  .string({ error: "Enter the API host." })
  .trim()
  .min(1, "Enter the API host.")
  .max(500, "That API host is too long.")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.hash;
    } catch {
      return false;
    }
  }, "Enter a full URL, like https://api.openai.com/v1.");

/** "Model Parameters (JSON)": empty → null; otherwise a JSON object within PARAMETER_LIMITS (size, depth, keys). */
export const parametersSchema = z
  .string()
  .optional()
  .transform((value, ctx): Record<string, unknown> | null => {
    const text = value?.trim() ?? "";
    if (!text) return null;
    if (text.length > PARAMETER_LIMITS.bytes) {
      ctx.addIssue({ code: "custom", message: "Model Parameters are limited to 8 KB." });
      return z.NEVER;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof SyntaxError ? ` (${error.message.replace(/^JSON\.parse: /, "")})` : "";
      ctx.addIssue({ code: "custom", message: `Model Parameters is not valid JSON${detail}. Example: {"temperature":0.2}` });
      return z.NEVER;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      ctx.addIssue({ code: "custom", message: 'Model Parameters must be a JSON object, like {"temperature":0.2,"max_tokens":4096}.' });
      return z.NEVER;
    }
    const problem = parameterShapeProblem(parsed);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return parsed as Record<string, unknown>;
  });

const baseSchema = z.object({
  provider: z.enum(PROVIDER_IDS, { error: "Unknown provider." }),
  apiHost: apiHostSchema,
  model: z
    .string({ error: "Enter a model name." })
    .trim()
    .min(1, "Enter a model name.")
    .max(200, "That model name is too long.")
    .regex(/^[^\s]+$/, "Model names have no spaces."),
  parameters: parametersSchema,
  intent: z.enum(["save", "save_anyway"]).default("save"),
  expectedVersion: z
    .string()
    .optional()
    .transform((v) => (v && /^\d+$/.test(v) ? Number(v) : undefined)),
});

export type CredentialFormInput = z.infer<typeof baseSchema> & {
  provider: ProviderId;
  /** Secret fields the user typed (non-empty only). */
  secrets: Record<string, string>;
  /** Non-secret provider fields, trimmed. */
  extra: Record<string, string>;
};

export type ParsedCredentialForm =
  { ok: true; data: CredentialFormInput; definition: ProviderDefinition } | { ok: false; fieldErrors: Record<string, string> };

/** A value that is a displayed hint or a masked copy of a key, never a key itself. */
export function looksMasked(value: string, storedHint?: string): boolean {
  if (storedHint && value === storedHint) return true;
  return /[…•]/.test(value) || /\*{3,}/.test(value) || /\.{3,}/.test(value);
}

/** Where a card's fields come from: the browser's FormData, or its string fields (see credentialFormSchema). */
type FieldSource = { get(name: string): unknown };

export function parseCredentialForm(formData: FieldSource): ParsedCredentialForm {
  const raw: Record<string, string> = {};
  for (const key of ["provider", "apiHost", "model", "parameters", "intent", "expectedVersion"]) {
    const value = formData.get(key);
    if (typeof value === "string") raw[key] = value;
  }
  // Bedrock's endpoint follows from its Region when API Host is left empty.
  if (raw.provider === "bedrock" && !raw.apiHost?.trim()) {
    const region = String(formData.get(`${FIELD_PREFIX}region`) ?? "").trim() || "us-east-1";
    if (/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) raw.apiHost = `https://bedrock-runtime.${region}.amazonaws.com`;
  }
  const parsed = baseSchema.safeParse(raw);
  const fieldErrors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
  }
  const definition = getProvider(raw.provider ?? "");
  if (!definition) return { ok: false, fieldErrors: { provider: "Unknown provider.", ...fieldErrors } };

  const secrets: Record<string, string> = {};
  const extra: Record<string, string> = {};
  for (const field of definition.fields) {
    const value = formData.get(`${FIELD_PREFIX}${field.name}`);
    const text = typeof value === "string" ? (field.secret ? value.trim() : value.trim()) : "";
    if (text.length > 4096) {
      fieldErrors[field.name] = `${field.label} is too long.`;
      continue;
    }
    if (field.secret) {
      if (text) secrets[field.name] = text;
    } else if (text) {
      extra[field.name] = text;
    } else if (field.required) {
      fieldErrors[field.name] = `Enter the ${field.label}.`;
    }
  }
  if (!parsed.success || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, data: { ...parsed.data, secrets, extra }, definition };
}

/**
 * The card form as a zod schema over the form's string fields, for `form(credentialFormSchema)` in
 * a server action: the same checks and messages as parseCredentialForm, as issues per field.
 */
export const credentialFormSchema = z.record(z.string(), z.string()).transform((fields, ctx) => {
  const parsed = parseCredentialForm({ get: (name) => (Object.hasOwn(fields, name) ? fields[name] : undefined) });
  if (parsed.ok) return parsed;
  for (const [field, message] of Object.entries(parsed.fieldErrors)) ctx.addIssue({ code: "custom", path: [field], message });
  return z.NEVER;
});
