/**
 * Re-validation of stored credentials: one on demand ("Re-validate" on a card) or a pass over all
 * of them (the background job, `npm run revalidate`). A key that went bad turns Invalid on its
 * card and in the agent config; results land only on the configuration they were checked against.
 */
import "server-only";
import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { providerCredentials } from "@/db/schema";
import type { AlertEvent } from "@/db/schema";
import { emitAlertIn } from "@/lib/alerts/emit";
import { recordEvent } from "@/lib/audit/events";
import { AppError, isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isUuid, ownedBy, type Owner } from "@/lib/owners";
import { getProvider } from "@/lib/providers/catalog";
import { isProviderId, type CredentialConfig, type ValidationOutcome } from "@/lib/providers/types";
import { checkToolSupport, validateCredential } from "@/lib/providers/validate";
import { rememberModels } from "./model-cache";
import { withProviderSlot } from "./provider-slots";
import { decryptCredential, recordCheck, type CredentialStatus } from "./queries";
import { reportFor, statusDetailFor, type ValidationReport } from "./save";

const rowColumns = {
  id: providerCredentials.id,
  ownerUserId: providerCredentials.ownerUserId,
  ownerOrgId: providerCredentials.ownerOrgId,
  provider: providerCredentials.provider,
  model: providerCredentials.model,
  apiHost: providerCredentials.apiHost,
  extra: providerCredentials.extra,
  secretCiphertext: providerCredentials.secretCiphertext,
  wrappedDataKey: providerCredentials.wrappedDataKey,
  keyVersion: providerCredentials.keyVersion,
  version: providerCredentials.version,
};

type StoredRow = {
  id: string;
  ownerUserId: string | null;
  ownerOrgId: string | null;
  provider: string;
  model: string;
  apiHost: string;
  extra: Record<string, string>;
  secretCiphertext: string;
  wrappedDataKey: string;
  keyVersion: string;
  version: number;
};

export function statusFor(outcome: ValidationOutcome): CredentialStatus {
  if (outcome === "valid") return "valid";
  if (outcome === "invalid_key" || outcome === "invalid_model" || outcome === "quota_exceeded") return "invalid";
  return "unverified";
}

/**
 * Checks one stored credential against its provider again and records the outcome. The outbound
 * calls take a provider-check slot; `background` work waits longer for one than a person would.
 */
export async function revalidateRow(
  db: Executor,
  row: StoredRow,
  options: { background?: boolean } = {},
): Promise<ValidationReport | null> {
  if (!isProviderId(row.provider)) return null;
  const definition = getProvider(row.provider);
  const owner: Owner = row.ownerOrgId ? { type: "org", id: row.ownerOrgId } : { type: "user", id: row.ownerUserId! };
  let secrets: Record<string, string>;
  try {
    secrets = decryptCredential(owner, row);
  } catch (error) {
    if (!isAppError(error)) throw error;
    await recordCheck(db, row.id, row.version, {
      status: "invalid",
      statusCode: "decryption_failed",
      statusDetail: error.message,
      validatedAt: new Date(),
    });
    return null;
  }
  const config: CredentialConfig = { provider: row.provider, apiHost: row.apiHost, model: row.model, secrets, extra: row.extra };
  const { result, tools } = await withProviderSlot(
    async () => {
      const validated = await validateCredential(config);
      return { result: validated, tools: validated.outcome === "valid" ? await checkToolSupport(config) : undefined };
    },
    { background: options.background },
  );
  const report = reportFor(result, definition);
  if (result.models?.length) rememberModels(row.id, row.version, result.models);
  report.tools = tools;
  await recordCheckWithAlert(db, row, {
    status: statusFor(result.outcome),
    statusCode: result.outcome,
    statusDetail: result.outcome === "valid" ? null : statusDetailFor(report),
    validatedAt: new Date(),
    ...(tools ? { capabilities: { tools } } : {}),
  });
  return report;
}

/** The alert a check outcome raises: a bad key or model, or an exhausted quota. */
function alertFor(outcome: string): AlertEvent | null {
  if (outcome === "invalid_key" || outcome === "invalid_model") return "credential.invalid";
  if (outcome === "quota_exceeded") return "credential.quota";
  return null;
}

/**
 * Records the check; when it moves the credential into a bad outcome it was not already in, emits
 * the alert in the same transaction (the row locked), so it goes out once per transition, however
 * many passes or instances see the same bad key.
 */
async function recordCheckWithAlert(db: Executor, row: StoredRow, update: Parameters<typeof recordCheck>[3] & { statusCode: string }) {
  const event = alertFor(update.statusCode);
  if (!event) {
    await recordCheck(db, row.id, row.version, update);
    return;
  }
  const emitted = await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ statusCode: providerCredentials.statusCode })
      .from(providerCredentials)
      .where(eq(providerCredentials.id, row.id))
      .for("update");
    if (!(await recordCheck(tx, row.id, row.version, update)) || !current || current.statusCode === update.statusCode) return null;
    return emitAlertIn(tx, {
      owner: row.ownerOrgId ? { orgId: row.ownerOrgId } : { userId: row.ownerUserId! },
      event,
      data: {
        credentialId: row.id,
        provider: row.provider,
        model: row.model,
        reason: update.statusCode,
        detail: update.statusDetail ?? null,
      },
    });
  });
  emitted?.afterCommit();
}

/** "Re-validate" on a card: the owner's credential only. */
export async function revalidateForOwner(db: Executor, owner: Owner, credentialId: string): Promise<ValidationReport> {
  const [row] = isUuid(credentialId)
    ? await db
        .select(rowColumns)
        .from(providerCredentials)
        .where(and(eq(providerCredentials.id, credentialId), ownedBy(providerCredentials, owner)))
        .limit(1)
    : [];
  if (!row) throw new AppError("not_found", "That provider does not exist.");
  const report = await revalidateRow(db, row);
  if (!report) throw new AppError("decryption_failed", "The stored key cannot be decrypted. Enter the key again to replace it.");
  return report;
}

export type PassOptions = {
  /** Only credentials last checked before this instant (or never). */
  checkedBefore?: Date;
  /** Pause between two provider checks, to spread the load. */
  spacingMs: number;
  /** Asked between credentials; true stops the pass (lease lost, shutdown). */
  shouldStop?: () => boolean;
};

/** One pass over stored credentials, oldest check first. Returns how many were checked. */
export async function runRevalidationPass(db: Executor, options: PassOptions): Promise<{ checked: number; failed: number }> {
  const due = options.checkedBefore
    ? or(isNull(providerCredentials.validatedAt), lt(providerCredentials.validatedAt, options.checkedBefore))
    : undefined;
  const ids = await db
    .select({ id: providerCredentials.id })
    .from(providerCredentials)
    .where(due)
    .orderBy(asc(providerCredentials.validatedAt));
  let checked = 0;
  let failed = 0;
  for (const [index, { id }] of ids.entries()) {
    if (options.shouldStop?.()) break;
    if (index > 0 && options.spacingMs > 0) await new Promise((r) => setTimeout(r, options.spacingMs));
    const [row] = await db.select(rowColumns).from(providerCredentials).where(eq(providerCredentials.id, id)).limit(1);
    if (!row) continue; // removed meanwhile
    try {
      const report = await revalidateRow(db, row, { background: true });
      checked++;
      if (!report || report.outcome !== "valid") failed++;
      await recordEvent(db, {
        kind: "credential.validated",
        actor: {},
        scope: row.ownerOrgId ? { orgId: row.ownerOrgId } : { userId: row.ownerUserId },
        target: { type: "credential", id: row.id },
        outcome: report?.outcome ?? "decryption_failed",
        details: { provider: row.provider, model: row.model, trigger: "scheduled" },
      });
    } catch (error) {
      failed++;
      log.warn("re-validation failed for a credential", { credential: id, reason: error instanceof Error ? error.message : "unknown" });
    }
  }
  return { checked, failed };
}
