/**
 * Reading and writing provider credentials. Every function takes the database first and filters by
 * owner; secrets go in and out only through lib/crypto, and never appear in a view.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { providerCredentials, userDefaults } from "@/db/schema";
import { DecryptionError, openSecrets, sealSecrets, type SecretContext } from "@/lib/crypto/envelope";
import { masterKeyring } from "@/lib/crypto/master-keys";
import { isForeignKeyViolation, isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { usableBy } from "@/lib/orgs/revocation";
import { isUuid, ownedBy, ownerColumns, type Owner } from "@/lib/owners";
import type { ProviderId, ToolSupport } from "@/lib/providers/types";

export type CredentialStatus = "valid" | "invalid" | "unverified";

/** What the dashboard may know about a credential: everything but its secrets. */
export type CredentialView = {
  id: string;
  provider: string;
  model: string;
  apiHost: string;
  /** What agents receive: the key, or only BYOK's gateway. */
  delivery: Delivery;
  extra: Record<string, string>;
  secretHints: Record<string, string>;
  status: CredentialStatus;
  statusCode: string;
  statusDetail: string | null;
  validatedAt: Date | null;
  parameters: Record<string, unknown> | null;
  capabilities: Capabilities;
  version: number;
  updatedAt: Date;
};

export type Capabilities = { tools?: ToolSupport };
export type Delivery = "key" | "gateway";

/** A new credential's delivery: org credentials are shared, so their key stays in BYOK. */
export const defaultDelivery = (owner: Owner): Delivery => (owner.type === "org" ? "gateway" : "key");

const viewColumns = {
  id: providerCredentials.id,
  provider: providerCredentials.provider,
  model: providerCredentials.model,
  apiHost: providerCredentials.apiHost,
  delivery: providerCredentials.delivery,
  extra: providerCredentials.extra,
  secretHints: providerCredentials.secretHints,
  status: providerCredentials.status,
  statusCode: providerCredentials.statusCode,
  statusDetail: providerCredentials.statusDetail,
  validatedAt: providerCredentials.validatedAt,
  parameters: providerCredentials.parameters,
  capabilities: providerCredentials.capabilities,
  version: providerCredentials.version,
  updatedAt: providerCredentials.updatedAt,
};

const sealedColumns = {
  secretCiphertext: providerCredentials.secretCiphertext,
  wrappedDataKey: providerCredentials.wrappedDataKey,
  keyVersion: providerCredentials.keyVersion,
};

export function secretContext(credentialId: string, owner: Owner, provider: string): SecretContext {
  return { credentialId, owner: { type: owner.type, id: owner.id }, provider };
}

export async function listCredentials(db: Executor, owner: Owner): Promise<CredentialView[]> {
  const rows = await db.select(viewColumns).from(providerCredentials).where(ownedBy(providerCredentials, owner));
  return rows as CredentialView[];
}

export async function findCredential(db: Executor, owner: Owner, provider: ProviderId) {
  const [row] = await db
    .select({ ...viewColumns, ...sealedColumns })
    .from(providerCredentials)
    .where(and(ownedBy(providerCredentials, owner), eq(providerCredentials.provider, provider)))
    .limit(1);
  return row as (CredentialView & typeof row) | undefined;
}

/** The decrypted secret fields of a stored credential, or a clear AppError when they cannot be opened. */
export function decryptCredential(
  owner: Owner,
  row: { id: string; provider: string; secretCiphertext: string; wrappedDataKey: string; keyVersion: string },
): Record<string, string> {
  try {
    return openSecrets(row, secretContext(row.id, owner, row.provider), masterKeyring());
  } catch (error) {
    if (error instanceof DecryptionError) {
      throw new AppError("decryption_failed", `The stored key cannot be decrypted: ${error.message} Enter the key again to replace it.`, {
        cause: error,
      });
    }
    throw error;
  }
}

export type CredentialWrite = {
  provider: ProviderId;
  model: string;
  apiHost: string;
  extra: Record<string, string>;
  parameters: Record<string, unknown> | null;
  secrets: Record<string, string>;
  secretHints: Record<string, string>;
  status: CredentialStatus;
  statusCode: string;
  statusDetail: string | null;
  validatedAt: Date;
  /** The version the user edited; a mismatch means someone saved in between. */
  expectedVersion?: number;
  actorUserId: string;
};

const changedElsewhere = () =>
  new AppError("conflict", "This provider was changed in another tab or by someone else. Reload to see the latest, then save again.");

/**
 * Creates or replaces the owner's credential for a provider. Each save encrypts under a fresh
 * data key; an update only applies if the row is still at `expectedVersion`.
 */
export async function upsertCredential(db: Executor, owner: Owner, input: CredentialWrite): Promise<CredentialView> {
  const existing = await findCredential(db, owner, input.provider);
  const id = existing?.id ?? randomUUID();
  const sealed = sealSecrets(input.secrets, secretContext(id, owner, input.provider), masterKeyring());
  const values = {
    model: input.model,
    apiHost: input.apiHost,
    extra: input.extra,
    parameters: input.parameters,
    // A new configuration has not been probed for tools yet.
    capabilities: {},
    ...sealed,
    secretHints: input.secretHints,
    status: input.status,
    statusCode: input.statusCode,
    statusDetail: input.statusDetail,
    validatedAt: input.validatedAt,
  };
  if (!existing) {
    try {
      const [row] = await db
        .insert(providerCredentials)
        .values({
          id,
          ...ownerColumns(owner),
          provider: input.provider,
          delivery: defaultDelivery(owner),
          createdByUserId: input.actorUserId,
          ...values,
        })
        .returning(viewColumns);
      return row as CredentialView;
    } catch (error) {
      if (isUniqueViolation(error)) throw changedElsewhere();
      throw error;
    }
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== existing.version) throw changedElsewhere();
  const [row] = await db
    .update(providerCredentials)
    .set({ ...values, version: sql`${providerCredentials.version} + 1`, updatedAt: new Date() })
    .where(and(eq(providerCredentials.id, existing.id), eq(providerCredentials.version, existing.version)))
    .returning(viewColumns);
  if (!row) throw changedElsewhere();
  return row as CredentialView;
}

/**
 * Sets what agents receive for the owner's credential. Nothing else changes: no new version, no
 * re-validation (an edit in progress stays valid). Returns the provider, or null when not found.
 */
export async function setCredentialDelivery(db: Executor, owner: Owner, credentialId: string, delivery: Delivery) {
  if (!isUuid(credentialId)) return null;
  const [row] = await db
    .select({ provider: providerCredentials.provider, delivery: providerCredentials.delivery })
    .from(providerCredentials)
    .where(and(eq(providerCredentials.id, credentialId), ownedBy(providerCredentials, owner)))
    .limit(1);
  if (!row) return null;
  if (row.delivery !== delivery) {
    await db
      .update(providerCredentials)
      .set({ delivery })
      .where(and(eq(providerCredentials.id, credentialId), ownedBy(providerCredentials, owner)));
  }
  return { provider: row.provider, changed: row.delivery !== delivery };
}

/** Deletes the owner's credential; a default that pointed at it goes with it (FK cascade). */
export async function removeCredential(db: Executor, owner: Owner, credentialId: string): Promise<boolean> {
  if (!isUuid(credentialId)) return false;
  const rows = await db
    .delete(providerCredentials)
    .where(and(eq(providerCredentials.id, credentialId), ownedBy(providerCredentials, owner)))
    .returning({ id: providerCredentials.id });
  return rows.length > 0;
}

/**
 * Makes a credential the user's default: their own, or an org credential shared with them. One
 * row per user (primary key), so concurrent calls leave one.
 */
export async function setUserDefault(db: Executor, userId: string, credentialId: string): Promise<{ provider: string }> {
  if (!isUuid(credentialId)) throw new AppError("not_found", "That provider does not exist.");
  const [usable] = await db
    .select({ id: providerCredentials.id, provider: providerCredentials.provider })
    .from(providerCredentials)
    .where(and(eq(providerCredentials.id, credentialId), usableBy(userId)))
    .limit(1);
  if (!usable) throw new AppError("not_found", "That provider does not exist.");
  try {
    await db
      .insert(userDefaults)
      .values({ userId, credentialId })
      .onConflictDoUpdate({ target: userDefaults.userId, set: { credentialId, updatedAt: new Date() } });
  } catch (error) {
    // Removed between the check and the write.
    if (isForeignKeyViolation(error)) throw new AppError("not_found", "That provider does not exist.");
    throw error;
  }
  return { provider: usable.provider };
}

export async function getUserDefaultId(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db.select({ id: userDefaults.credentialId }).from(userDefaults).where(eq(userDefaults.userId, userId)).limit(1);
  return row?.id ?? null;
}

/**
 * Records the outcome of a check (re-validation, tool probe) on the configuration it was run
 * against: a row edited meanwhile (other version) is left alone. The version does not change, so
 * an edit in progress is not invalidated by a background check.
 */
export async function recordCheck(
  db: Executor,
  credentialId: string,
  version: number,
  update: Partial<{
    status: CredentialStatus;
    statusCode: string;
    statusDetail: string | null;
    validatedAt: Date;
    capabilities: Capabilities;
  }>,
): Promise<boolean> {
  const rows = await db
    .update(providerCredentials)
    .set(update)
    .where(and(eq(providerCredentials.id, credentialId), eq(providerCredentials.version, version)))
    .returning({ id: providerCredentials.id });
  return rows.length > 0;
}
