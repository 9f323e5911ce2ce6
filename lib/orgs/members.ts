/**
 * Members of an organization: list, change a role, remove, leave, transfer ownership. The last
 * owner can neither leave nor be demoted or removed. Losing access clears defaults at once, and
 * whoever leaves, is removed or drops below admin has the org tokens they created revoked in the
 * same transaction (an org token must not outlive its creator's right to make it).
 */
import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { agentTokens, memberships, users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/owners";
import { isActiveToken, revokeOrgTokensCreatedBy } from "@/lib/tokens/queries";
import { requireOrgPermission, loadOrgAccess, type OrgAccess } from "./access";
import { clearLostDefaults } from "./revocation";
import { assignableRoles, can, type OrgRole } from "./roles";

export type MemberView = {
  userId: string;
  name: string;
  email: string;
  role: OrgRole;
  joinedAt: Date;
  /** Active org tokens this member created: revoked if they leave, are removed or drop below admin. */
  orgTokens: number;
};

export async function listMembers(db: Executor, orgId: string): Promise<MemberView[]> {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      orgTokens: sql<number>`(select count(*) from ${agentTokens} where ${agentTokens.ownerOrgId} = ${memberships.orgId}
        and ${agentTokens.createdByUserId} = ${memberships.userId} and ${isActiveToken()})`.mapWith(Number),
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.name));
}

/** What a membership change did, for the caller's message. */
export type MemberChange = { tokensRevoked: number };

async function ownerCount(db: Executor, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return row?.n ?? 0;
}

/** Locks the membership row (FOR UPDATE) and returns the member's role and name. */
async function lockMember(db: Executor, orgId: string, userId: string): Promise<{ role: OrgRole; name: string }> {
  if (!isUuid(userId)) throw new AppError("not_found", "That person is not a member.");
  const [row] = await db
    .select({ role: memberships.role, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!row) throw new AppError("not_found", "That person is not a member.");
  return row;
}

const lastOwner = () =>
  new AppError("conflict", "An organization needs at least one owner: make someone else an owner first (or transfer ownership).");

/**
 * Removes a member's access: membership row, the org tokens they created, their personal tokens'
 * scope, and defaults that pointed at its credentials. Returns how many org tokens were revoked.
 */
async function dropMembership(tx: Executor, orgId: string, userId: string): Promise<number> {
  await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  const tokensRevoked = await revokeOrgTokensCreatedBy(tx, orgId, userId);
  await tx
    .update(agentTokens)
    .set({ scopeOrgId: null })
    .where(and(eq(agentTokens.ownerUserId, userId), eq(agentTokens.scopeOrgId, orgId)));
  await clearLostDefaults(tx, orgId, [userId]);
  return tokensRevoked;
}

export type ActorInfo = { userId: string; ip?: string | null };

export async function changeMemberRole(
  db: Database,
  actor: ActorInfo,
  slug: string,
  targetUserId: string,
  role: OrgRole,
): Promise<MemberChange> {
  const access = await requireOrgPermission(db, slug, actor.userId, "manage_members");
  if (!assignableRoles(access.role).includes(role)) throw new AppError("forbidden", "Only owners can make someone an owner.");
  const change = await db.transaction(async (tx) => {
    const current = await lockMember(tx, access.org.id, targetUserId);
    if (current.role === "owner" && access.role !== "owner") throw new AppError("forbidden", "Only owners can change an owner's role.");
    if (current.role === "owner" && role !== "owner" && (await ownerCount(tx, access.org.id)) <= 1) throw lastOwner();
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.orgId, access.org.id), eq(memberships.userId, targetUserId)));
    // Below admin they may no longer make org tokens, so the ones they made stop working too.
    const demoted = can(current.role, "manage_tokens") && !can(role, "manage_tokens");
    const tokensRevoked = demoted ? await revokeOrgTokensCreatedBy(tx, access.org.id, targetUserId) : 0;
    await clearLostDefaults(tx, access.org.id, [targetUserId]);
    return { from: current.role, name: current.name, tokensRevoked };
  });
  await recordEvent(db, {
    kind: "member.role_changed",
    actor,
    scope: { orgId: access.org.id },
    target: { type: "user", id: targetUserId },
    details: { from: change.from, to: role, name: change.name, tokensRevoked: change.tokensRevoked },
  });
  return { tokensRevoked: change.tokensRevoked };
}

export async function removeMember(db: Database, actor: ActorInfo, slug: string, targetUserId: string): Promise<MemberChange> {
  const access = await requireOrgPermission(db, slug, actor.userId, "manage_members");
  if (targetUserId === actor.userId) throw new AppError("invalid_request", "To leave the organization, use “Leave organization”.");
  const change = await db.transaction(async (tx) => {
    const current = await lockMember(tx, access.org.id, targetUserId);
    if (current.role === "owner" && access.role !== "owner") throw new AppError("forbidden", "Only owners can remove an owner.");
    if (current.role === "owner" && (await ownerCount(tx, access.org.id)) <= 1) throw lastOwner();
    return { name: current.name, tokensRevoked: await dropMembership(tx, access.org.id, targetUserId) };
  });
  await recordEvent(db, {
    kind: "member.removed",
    actor,
    scope: { orgId: access.org.id },
    target: { type: "user", id: targetUserId },
    details: { name: change.name, tokensRevoked: change.tokensRevoked },
  });
  return { tokensRevoked: change.tokensRevoked };
}

export async function leaveOrganization(db: Database, actor: ActorInfo, slug: string): Promise<OrgAccess["org"] & MemberChange> {
  const access = await loadOrgAccess(db, slug, actor.userId);
  const tokensRevoked = await db.transaction(async (tx) => {
    const current = await lockMember(tx, access.org.id, actor.userId);
    if (current.role === "owner" && (await ownerCount(tx, access.org.id)) <= 1) {
      throw new AppError("conflict", "You are the last owner: make someone else an owner (or transfer ownership) before leaving.");
    }
    return dropMembership(tx, access.org.id, actor.userId);
  });
  await recordEvent(db, {
    kind: "member.left",
    actor,
    scope: { orgId: access.org.id, userId: actor.userId },
    target: { type: "user", id: actor.userId },
    details: { tokensRevoked },
  });
  return { ...access.org, tokensRevoked };
}

/** The new owner gets "owner"; the previous owner stays on as an admin. */
export async function transferOwnership(db: Database, actor: ActorInfo, slug: string, targetUserId: string): Promise<void> {
  const access = await requireOrgPermission(db, slug, actor.userId, "manage_owners");
  if (targetUserId === actor.userId) throw new AppError("invalid_request", "You already own this organization.");
  await db.transaction(async (tx) => {
    // The previous owner stays an admin: their org tokens keep working.
    await lockMember(tx, access.org.id, targetUserId);
    await tx
      .update(memberships)
      .set({ role: "owner" })
      .where(and(eq(memberships.orgId, access.org.id), eq(memberships.userId, targetUserId)));
    await tx
      .update(memberships)
      .set({ role: "admin" })
      .where(and(eq(memberships.orgId, access.org.id), eq(memberships.userId, actor.userId)));
  });
  await recordEvent(db, {
    kind: "ownership.transferred",
    actor,
    scope: { orgId: access.org.id },
    target: { type: "user", id: targetUserId },
  });
}
