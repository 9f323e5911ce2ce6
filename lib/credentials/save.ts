/**
 * Save = validate, then store. The card's secrets are merged with the stored ones (an empty field
 * keeps the stored value), checked against the provider, and written only when the check passes,
 * or, for transient failures, when the user chose "Save anyway" (stored as Unverified).
 */
import "server-only";
import type { Executor } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { Owner } from "@/lib/owners";
import { maskSecret } from "@/lib/providers/mask";
import { describeOutcome, isTransient } from "@/lib/providers/outcomes";
import type { CredentialConfig, ProviderDefinition, ToolSupport, ValidationOutcome, ValidationResult } from "@/lib/providers/types";
import { checkToolSupport, validateCredential } from "@/lib/providers/validate";
import type { CredentialFormInput } from "./form";
import { looksMasked } from "./form";
import { rememberModels } from "./model-cache";
import { withProviderSlot } from "./provider-slots";
import { decryptCredential, findCredential, recordCheck, upsertCredential, type CredentialView } from "./queries";

export type ValidationReport = {
  outcome: ValidationOutcome;
  title: string;
  solution: string;
  providerMessage?: string;
  httpStatus?: number;
  /** The user may store the credential anyway (as Unverified). */
  canSaveAnyway: boolean;
  checkedAt: string;
  /** Model ids the provider listed while validating (suggestions for a wrong model name). */
  models?: string[];
  /** Tool-calling probe, run after a successful validation. */
  tools?: ToolSupport;
};

export type SaveResult = { saved: true; credential: CredentialView; report: ValidationReport } | { saved: false; report: ValidationReport };

export function reportFor(result: ValidationResult, definition: ProviderDefinition): ValidationReport {
  const copy = describeOutcome(result, { keyUrl: definition.keyUrl, providerName: definition.name });
  return {
    outcome: result.outcome,
    title: copy.title,
    solution: copy.solution,
    providerMessage: result.providerMessage,
    httpStatus: result.httpStatus,
    canSaveAnyway: isTransient(result.outcome),
    checkedAt: new Date().toISOString(),
    models: result.models?.slice(0, 300),
  };
}

/** The one-line detail stored with the credential and shown on its card. */
export function statusDetailFor(report: ValidationReport): string {
  return [report.title, report.providerMessage ? `Provider said: ${report.providerMessage}` : ""].filter(Boolean).join(" ").slice(0, 500);
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function fieldError(field: string, message: string): AppError {
  return new AppError("invalid_request", message, { fieldErrors: { [field]: message } });
}

/**
 * Works out the complete secret set for a save: typed values win; empty fields keep the stored
 * ones. A stored key is only re-sent to the same origin or the provider's default host, so a
 * hijacked session cannot point a stored key at a server of its choosing.
 */
async function mergeSecrets(
  input: CredentialFormInput,
  definition: ProviderDefinition,
  existing: Awaited<ReturnType<typeof findCredential>>,
  owner: Owner,
): Promise<Record<string, string>> {
  for (const [name, value] of Object.entries(input.secrets)) {
    if (looksMasked(value, existing?.secretHints[name])) {
      throw fieldError(
        name,
        "That is the masked hint of a key, not the key. Paste the full key, or leave the field empty to keep the stored one.",
      );
    }
  }
  const missing = definition.fields.filter((f) => f.secret && !input.secrets[f.name]);
  if (missing.length === 0 || !existing) {
    const required = missing.find((f) => f.required);
    if (required) throw fieldError(required.name, `Enter the ${required.label}.`);
    return { ...input.secrets };
  }
  const stored = decryptCredential(owner, existing);
  const reused = missing.filter((f) => stored[f.name]);
  if (reused.length > 0) {
    const hostAllowed =
      sameOrigin(existing.apiHost, input.apiHost) || (definition.defaultApiHost && sameOrigin(definition.defaultApiHost, input.apiHost));
    if (!hostAllowed) {
      const field = reused[0]!;
      throw fieldError(field.name, `The API Host changed to another server: enter the ${field.label} again to send it there.`);
    }
  }
  const merged: Record<string, string> = { ...input.secrets };
  for (const field of missing) if (stored[field.name]) merged[field.name] = stored[field.name]!;
  const stillMissing = definition.fields.find((f) => f.secret && f.required && !merged[f.name]);
  if (stillMissing) throw fieldError(stillMissing.name, `Enter the ${stillMissing.label}.`);
  return merged;
}

export async function saveProviderCredential(
  db: Executor,
  params: { owner: Owner; actorUserId: string; input: CredentialFormInput; definition: ProviderDefinition },
): Promise<SaveResult> {
  const { owner, actorUserId, input, definition } = params;
  const existing = await findCredential(db, owner, input.provider);
  if (existing && input.expectedVersion !== undefined && existing.version !== input.expectedVersion) {
    throw new AppError(
      "conflict",
      "This provider was changed in another tab or by someone else. Reload to see the latest, then save again.",
    );
  }
  const secrets = await mergeSecrets(input, definition, existing, owner);
  const config: CredentialConfig = { provider: input.provider, apiHost: input.apiHost, model: input.model, secrets, extra: input.extra };
  // One slot for all of this check's outbound calls: the validation, then (when valid) the tool
  // probe, which never blocks the save (bounded, and "unknown" on any failure).
  const { result, tools } = await withProviderSlot(async () => {
    const validated = await validateCredential(config);
    return { result: validated, tools: validated.outcome === "valid" ? await checkToolSupport(config) : undefined };
  });
  const report = reportFor(result, definition);
  const storeAnyway = report.canSaveAnyway && input.intent === "save_anyway";
  if (result.outcome !== "valid" && !storeAnyway) return { saved: false, report };

  const secretHints: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets)) secretHints[name] = maskSecret(value);
  const credential = await upsertCredential(db, owner, {
    provider: input.provider,
    model: input.model,
    apiHost: input.apiHost.replace(/\/+$/, ""),
    extra: input.extra,
    parameters: input.parameters,
    secrets,
    secretHints,
    status: result.outcome === "valid" ? "valid" : "unverified",
    statusCode: result.outcome,
    statusDetail: result.outcome === "valid" ? null : `Saved without verification. ${statusDetailFor(report)}`,
    validatedAt: new Date(),
    expectedVersion: existing ? existing.version : undefined,
    actorUserId,
  });
  if (result.models?.length) rememberModels(credential.id, credential.version, result.models);
  if (tools) {
    if (await recordCheck(db, credential.id, credential.version, { capabilities: { tools } })) {
      credential.capabilities = { tools };
    }
    report.tools = tools;
  }
  return { saved: true, credential, report };
}
