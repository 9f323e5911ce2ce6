/**
 * Parsing a provider card's form. Base fields are fixed; the provider's own fields come from the
 * catalog (FormData names `field.<name>`). Secret fields may be left empty to keep the stored value.
 */
import { z } from "zod";
import { getProvider } from "@/lib/providers/catalog";
import { PROVIDER_IDS, type ProviderDefinition, type ProviderId } from "@/lib/providers/types";
import { FIELD_PREFIX } from "./field-names";

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

const baseSchema = z.object({
  provider: z.enum(PROVIDER_IDS, { error: "Unknown provider." }),
  apiHost: apiHostSchema,
  model: z
    .string({ error: "Enter a model name." })
    .trim()
    .min(1, "Enter a model name.")
    .max(200, "That model name is too long.")
    .regex(/^[^\s]+$/, "Model names have no spaces."),
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
  | { ok: true; data: CredentialFormInput; definition: ProviderDefinition }
  | { ok: false; fieldErrors: Record<string, string> };

/** A value that is a displayed hint or a masked copy of a key, never a key itself. */
export function looksMasked(value: string, storedHint?: string): boolean {
  if (storedHint && value === storedHint) return true;
  return /[…•]/.test(value) || /\*{3,}/.test(value) || /\.{3,}/.test(value);
}

export function parseCredentialForm(formData: FormData): ParsedCredentialForm {
  const raw: Record<string, string> = {};
  for (const key of ["provider", "apiHost", "model", "intent", "expectedVersion"]) {
    const value = formData.get(key);
    if (typeof value === "string") raw[key] = value;
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
