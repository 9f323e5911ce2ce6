/**
 * Org credentials shared with members: who may use which (all members, or selected ones), the
 * org's default, and what a member sees under "Shared with you". Narrowing a share clears the
 * defaults that depended on it in the same transaction.
 */
import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { credentialShares, memberships, orgDefaults, organizations, providerCredentials } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/owners";
import { requireOrgPermission } from "./access";
import type { ActorInfo } from "./members";
import { clearLostDefaults, usableBy } from "./revocation";

const notFound = () => new AppError("not_found", "That provider does not exist in this organization.");

async function orgCredential(db: Executor, orgId: string, credentialId: string) {
  if (!isUuid(credentialId)) throw notFound();
  const [row] = await db
    .select({ id: providerCredentials.id, provider: providerCredentials.provider })
    .from(providerCredentials)
    .where(and(eq(providerCredentials.id, credentialId), eq(providerCredentials.ownerOrgId, orgId)))
    .limit(1);
  if (!row) throw notFound();
  return row;
}

export async function setOrgDefault(db: Database, actor: ActorInfo, slug: string, credentialId: string): Promise<void> {
  const access = await requireOrgPermission(db, slug, actor.userId, "set_org_default");
  const credential = await orgCredential(db, access.org.id, credentialId);
  await db
    .insert(orgDefaults)
    .values({ orgId: access.org.id, credentialId })
    .onConflictDoUpdate({ target: orgDefaults.orgId, set: { credentialId, updatedAt: new Date() } });
  await recordEvent(db, {
    kind: "org_default.changed",
    actor,
    scope: { orgId: access.org.id },
    target: { type: "credential", id: credentialId },
    details: { provider: credential.provider },
  });
}

export async function getOrgDefaultId(db: Executor, orgId: string): Promise<string | null> {
  const [row] = await db.select({ id: orgDefaults.credentialId }).from(orgDefaults).where(eq(orgDefaults.orgId, orgId)).limit(1);
  return row?.id ?? null;
}

export const shareSchema = z.object({
  mode: z.enum(["all", "selected"], { error: "Choose who may use this provider." }),
  userIds: z.array(z.string().refine(isUuid, "Unknown member.")).max(1000).default([]),
});

export async function setCredentialSharing(
  db: Database,
  actor: ActorInfo,
  slug: string,
  credentialId: string,
  input: z.infer<typeof shareSchema>,
): Promise<void> {
  const access = await requireOrgPermission(db, slug, actor.userId, "share");
  const credential = await orgCredential(db, access.org.id, credentialId);
  const userIds = input.mode === "selected" ? [...new Set(input.userIds)] : [];
  await db.transaction(async (tx) => {
    if (userIds.length > 0) {
      const members = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.orgId, access.org.id), inArray(memberships.userId, userIds)));
      if (members.length !== userIds.length) throw new AppError("invalid_request", "Share only with members of this organization.");
    }
    await tx.update(providerCredentials).set({ shareMode: input.mode }).where(eq(providerCredentials.id, credentialId));
    await tx.delete(credentialShares).where(eq(credentialShares.credentialId, credentialId));
    if (userIds.length > 0) await tx.insert(credentialShares).values(userIds.map((userId) => ({ credentialId, userId })));
    await clearLostDefaults(tx, access.org.id);
  });
  await recordEvent(db, {
    kind: "share.changed",
    actor,
    scope: { orgId: access.org.id },
    target: { type: "credential", id: credentialId },
    details: { provider: credential.provider, mode: input.mode, members: userIds.length },
  });
}

/** Who each of an org's credentials is shared with: mode, and the selected user ids. */
export async function listShares(db: Executor, orgId: string): Promise<Map<string, { mode: "all" | "selected"; userIds: string[] }>> {
  const rows = await db
    .select({ id: providerCredentials.id, mode: providerCredentials.shareMode, userId: credentialShares.userId })
    .from(providerCredentials)
    .leftJoin(credentialShares, eq(credentialShares.credentialId, providerCredentials.id))
    .where(eq(providerCredentials.ownerOrgId, orgId));
  const out = new Map<string, { mode: "all" | "selected"; userIds: string[] }>();
  for (const row of rows) {
    const entry = out.get(row.id) ?? { mode: row.mode, userIds: [] };
    if (row.userId) entry.userIds.push(row.userId);
    out.set(row.id, entry);
  }
  return out;
}

export type SharedCredential = {
  id: string;
  provider: string;
  model: string;
  apiHost: string;
  secretHints: Record<string, string>;
  status: "valid" | "invalid" | "unverified";
  statusDetail: string | null;
  validatedAt: Date | null;
  capabilities: { tools?: "supported" | "unsupported" | "unknown" };
  orgName: string;
  orgSlug: string;
  delivery: "key" | "gateway";
};

/** Org credentials this user may use (never a secret: hints only), by organization and provider. */
export async function listSharedWithUser(db: Executor, userId: string): Promise<SharedCredential[]> {
  return db
    .select({
      id: providerCredentials.id,
      provider: providerCredentials.provider,
      model: providerCredentials.model,
      apiHost: providerCredentials.apiHost,
      secretHints: providerCredentials.secretHints,
      status: sql<SharedCredential["status"]>`${providerCredentials.status}`,
      statusDetail: providerCredentials.statusDetail,
      validatedAt: providerCredentials.validatedAt,
      capabilities: providerCredentials.capabilities,
      orgName: organizations.name,
      orgSlug: organizations.slug,
      delivery: providerCredentials.delivery,
    })
    .from(providerCredentials)
    .innerJoin(organizations, eq(organizations.id, providerCredentials.ownerOrgId))
    .where(usableBy(userId))
    .orderBy(asc(organizations.name), asc(providerCredentials.provider));
}
