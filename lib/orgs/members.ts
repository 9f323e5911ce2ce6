/**
 * Members of an organization: list, change a role, remove, leave, transfer ownership. The last
 * owner can neither leave nor be demoted or removed. Losing access clears defaults at once.
 */
import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { agentTokens, memberships, users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/owners";
import { requireOrgPermission, loadOrgAccess, type OrgAccess } from "./access";
import { clearLostDefaults } from "./revocation";
import { assignableRoles, type OrgRole } from "./roles";

export type MemberView = { userId: string; name: string; email: string; role: OrgRole; joinedAt: Date };

export async function listMembers(db: Executor, orgId: string): Promise<MemberView[]> {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.name));
}

async function ownerCount(db: Executor, orgId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return row?.n ?? 0;
}

async function memberRole(db: Executor, orgId: string, userId: string): Promise<OrgRole> {
  if (!isUuid(userId)) throw new AppError("not_found", "That person is not a member.");
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for("update");
  if (!row) throw new AppError("not_found", "That person is not a member.");
  return row.role;
}

const lastOwner = () =>
  new AppError("conflict", "An organization needs at least one owner: make someone else an owner first (or transfer ownership).");

/** Removes a member's access: membership row, their personal tokens' scope, and defaults that pointed at its credentials. */
async function dropMembership(tx: Executor, orgId: string, userId: string) {
  await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  await tx.update(agentTokens).set({ scopeOrgId: null }).where(and(eq(agentTokens.ownerUserId, userId), eq(agentTokens.scopeOrgId, orgId)));
  await clearLostDefaults(tx, orgId, [userId]);
}

export type ActorInfo = { userId: string; ip?: string | null };

export async function changeMemberRole(db: Database, actor: ActorInfo, slug: string, targetUserId: string, role: OrgRole): Promise<void> {
  const access = await requireOrgPermission(db, slug, actor.userId, "manage_members");
  if (!assignableRoles(access.role).includes(role)) throw new AppError("forbidden", "Only owners can make someone an owner.");
  const previous = await db.transaction(async (tx) => {
    const current = await memberRole(tx, access.org.id, targetUserId);
    if (current === "owner" && access.role !== "owner") throw new AppError("forbidden", "Only owners can change an owner's role.");
    if (current === "owner" && role !== "owner" && (await ownerCount(tx, access.org.id)) <= 1) throw lastOwner();
    await tx.update(memberships).set({ role }).where(and(eq(memberships.orgId, access.org.id), eq(memberships.userId, targetUserId)));
    await clearLostDefaults(tx, access.org.id, [targetUserId]);
    return current;
  });
  await recordEvent(db, {
    kind: "member.role_changed",
    actor,
    scope: { orgId: access.org.id },
    target: { type: "user", id: targetUserId },
    details: { from: previous, to: role },
  });
}

export async function removeMember(db: Database, actor: ActorInfo, slug: string, targetUserId: string): Promise<void> {
  const access = await requireOrgPermission(db, slug, actor.userId, "manage_members");
  if (targetUserId === actor.userId) throw new AppError("invalid_request", "To leave the organization, use “Leave organization”.");
  await db.transaction(async (tx) => {
    const current = await memberRole(tx, access.org.id, targetUserId);
    if (current === "owner" && access.role !== "owner") throw new AppError("forbidden", "Only owners can remove an owner.");
    if (current === "owner" && (await ownerCount(tx, access.org.id)) <= 1) throw lastOwner();
    await dropMembership(tx, access.org.id, targetUserId);
  });
  await recordEvent(db, { kind: "member.removed", actor, scope: { orgId: access.org.id }, target: { type: "user", id: targetUserId } });
}

export async function leaveOrganization(db: Database, actor: ActorInfo, slug: string): Promise<OrgAccess["org"]> {
  const access = await loadOrgAccess(db, slug, actor.userId);
  await db.transaction(async (tx) => {
    const current = await memberRole(tx, access.org.id, actor.userId);
    if (current === "owner" && (await ownerCount(tx, access.org.id)) <= 1) {
      throw new AppError("conflict", "You are the last owner: make someone else an owner (or transfer ownership) before leaving.");
    }
    await dropMembership(tx, access.org.id, actor.userId);
  });
  await recordEvent(db, { kind: "member.left", actor, scope: { orgId: access.org.id, userId: actor.userId }, target: { type: "user", id: actor.userId } });
  return access.org;
}

/** The new owner gets "owner"; the previous owner stays on as an admin. */
export async function transferOwnership(db: Database, actor: ActorInfo, slug: string, targetUserId: string): Promise<void> {
  const access = await requireOrgPermission(db, slug, actor.userId, "manage_owners");
  if (targetUserId === actor.userId) throw new AppError("invalid_request", "You already own this organization.");
  await db.transaction(async (tx) => {
    await memberRole(tx, access.org.id, targetUserId);
    await tx.update(memberships).set({ role: "owner" }).where(and(eq(memberships.orgId, access.org.id), eq(memberships.userId, targetUserId)));
    await tx.update(memberships).set({ role: "admin" }).where(and(eq(memberships.orgId, access.org.id), eq(memberships.userId, actor.userId)));
  });
  await recordEvent(db, { kind: "ownership.transferred", actor, scope: { orgId: access.org.id }, target: { type: "user", id: targetUserId } });
}
