/**
 * Master key rotation: re-wraps every credential's (and webhook signing secret's) data key under the active master key, one row
 * per transaction (row lock, version-checked update), so it can run while the app serves and can
 * be stopped and re-run: it only picks rows not yet on the active version. Secret ciphertexts are
 * untouched, so readers see a decryptable row before, during and after.
 */
import "server-only";
import { and, asc, eq, gt, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { providerCredentials, webhooks } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { DecryptionError, rewrapDataKey } from "@/lib/crypto/envelope";
import type { MasterKeyring } from "@/lib/crypto/master-keys";
import { log } from "@/lib/log";
import type { Owner } from "@/lib/owners";

export type RotationReport = {
  activeVersion: string;
  /** Credentials re-wrapped. */
  rewrapped: number;
  /** Webhook signing secrets re-wrapped. */
  webhooks: number;
  failed: { id: string; reason: string }[];
  /** Credentials and webhooks still under another version. */
  remaining: number;
};

export async function rotateMasterKey(
  db: Database,
  keyring: MasterKeyring,
  options: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<RotationReport> {
  const active = keyring.active.version;
  const batchSize = options.batchSize ?? 100;
  const failed: RotationReport["failed"] = [];
  let rewrapped = 0;
  const perOwner = new Map<string, { owner: Owner; count: number }>();
  let after = "00000000-0000-0000-0000-000000000000";

  for (;;) {
    const batch = await db
      .select({ id: providerCredentials.id })
      .from(providerCredentials)
      .where(and(ne(providerCredentials.keyVersion, active), gt(providerCredentials.id, after)))
      .orderBy(asc(providerCredentials.id))
      .limit(batchSize);
    if (batch.length === 0) break;
    for (const { id } of batch) {
      after = id;
      try {
        const owner = await rewrapOne(db, keyring, id);
        if (owner) {
          rewrapped++;
          const key = `${owner.type}:${owner.id}`;
          perOwner.set(key, { owner, count: (perOwner.get(key)?.count ?? 0) + 1 });
        }
      } catch (error) {
        const reason = error instanceof DecryptionError ? error.message : "unexpected error";
        failed.push({ id, reason });
        log.warn("key rotation: credential skipped", { credential: id, reason });
      }
    }
    options.onProgress?.(rewrapped);
  }
  const webhookCount = await rotateWebhooks(db, keyring, batchSize, failed);
  const remaining =
    (await db.$count(providerCredentials, ne(providerCredentials.keyVersion, active))) +
    (await db.$count(webhooks, ne(webhooks.keyVersion, active)));
  // One activity entry per user and organization whose keys were re-wrapped.
  for (const { owner, count } of perOwner.values()) {
    await recordEvent(db, {
      kind: "keys.rotated",
      actor: {},
      scope: owner.type === "org" ? { orgId: owner.id } : { userId: owner.id },
      details: { version: active, credentials: count },
    });
  }
  return { activeVersion: active, rewrapped, webhooks: webhookCount, failed, remaining };
}

/** Re-wraps one row; returns its owner when it did, null when there was nothing to do. */
async function rewrapOne(db: Database, keyring: MasterKeyring, id: string): Promise<Owner | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: providerCredentials.id,
        ownerUserId: providerCredentials.ownerUserId,
        ownerOrgId: providerCredentials.ownerOrgId,
        provider: providerCredentials.provider,
        wrappedDataKey: providerCredentials.wrappedDataKey,
        keyVersion: providerCredentials.keyVersion,
      })
      .from(providerCredentials)
      .where(eq(providerCredentials.id, id))
      .for("update");
    if (!row || row.keyVersion === keyring.active.version) return null; // removed or done meanwhile
    const owner: Owner = row.ownerOrgId ? { type: "org", id: row.ownerOrgId } : { type: "user", id: row.ownerUserId! };
    const next = rewrapDataKey(row, { credentialId: row.id, owner, provider: row.provider }, keyring);
    await tx
      .update(providerCredentials)
      .set(next)
      .where(and(eq(providerCredentials.id, id), eq(providerCredentials.keyVersion, row.keyVersion)));
    return owner;
  });
}

/** Webhook secrets, the same way (their envelope context is the webhook id, owner and "webhook"). */
async function rotateWebhooks(db: Database, keyring: MasterKeyring, batchSize: number, failed: RotationReport["failed"]): Promise<number> {
  const active = keyring.active.version;
  let done = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db
      .select({ id: webhooks.id })
      .from(webhooks)
      .where(and(ne(webhooks.keyVersion, active), gt(webhooks.id, after)))
      .orderBy(asc(webhooks.id))
      .limit(batchSize);
    if (batch.length === 0) return done;
    for (const { id } of batch) {
      after = id;
      try {
        const rewrapped = await db.transaction(async (tx) => {
          const [row] = await tx
            .select({
              id: webhooks.id,
              ownerUserId: webhooks.ownerUserId,
              ownerOrgId: webhooks.ownerOrgId,
              wrappedDataKey: webhooks.wrappedDataKey,
              keyVersion: webhooks.keyVersion,
            })
            .from(webhooks)
            .where(eq(webhooks.id, id))
            .for("update");
          if (!row || row.keyVersion === active) return false;
          const owner: Owner = row.ownerOrgId ? { type: "org", id: row.ownerOrgId } : { type: "user", id: row.ownerUserId! };
          const next = rewrapDataKey(row, { credentialId: row.id, owner, provider: "webhook" }, keyring);
          await tx
            .update(webhooks)
            .set(next)
            .where(and(eq(webhooks.id, id), eq(webhooks.keyVersion, row.keyVersion)));
          return true;
        });
        if (rewrapped) done++;
      } catch (error) {
        const reason = error instanceof DecryptionError ? error.message : "unexpected error";
        failed.push({ id, reason });
        log.warn("key rotation: webhook skipped", { webhook: id, reason });
      }
    }
  }
}
