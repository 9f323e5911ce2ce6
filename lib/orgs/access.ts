/**
 * The one door to an organization: load it by slug for a user, with their role. Non-members get
 * "not found" (an org's existence is not revealed); members without the permission get "forbidden".
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, organizations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { can, type OrgPermission, type OrgRole } from "./roles";

export type OrgAccess = { org: { id: string; name: string; slug: string }; role: OrgRole; userId: string };

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export const orgNotFound = () => new AppError("not_found", "That organization does not exist, or you are not a member.");

export async function loadOrgAccess(db: Executor, slug: string, userId: string): Promise<OrgAccess> {
  if (typeof slug !== "string" || !SLUG.test(slug)) throw orgNotFound();
  const [row] = await db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug, role: memberships.role })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.userId, userId)))
    .where(eq(organizations.slug, slug))
    .limit(1);
  if (!row) throw orgNotFound();
  return { org: { id: row.id, name: row.name, slug: row.slug }, role: row.role, userId };
}

const DENIED: Record<OrgPermission, string> = {
  view: "You are not a member of this organization.",
  manage_credentials: "Only owners and admins can change this organization's providers.",
  set_org_default: "Only owners and admins can choose the organization's default.",
  share: "Only owners and admins can change who a provider is shared with.",
  invite: "Only owners and admins can invite people.",
  manage_members: "Only owners and admins can change members.",
  manage_owners: "Only owners can do this.",
  manage_tokens: "Only owners and admins can manage organization tokens.",
  read_activity: "Only owners and admins can read the organization's activity.",
};

/** Loads the org and checks one permission; throws not_found or forbidden. */
export async function requireOrgPermission(db: Executor, slug: string, userId: string, permission: OrgPermission): Promise<OrgAccess> {
  const access = await loadOrgAccess(db, slug, userId);
  if (!can(access.role, permission)) throw new AppError("forbidden", DENIED[permission]);
  return access;
}

/**
 * Inside a transaction: locks the user's membership row (FOR SHARE) and checks one permission, so
 * a concurrent role change or removal (which locks it FOR UPDATE) waits for this transaction.
 */
export async function lockMembershipWith(tx: Executor, orgId: string, userId: string, permission: OrgPermission): Promise<OrgRole> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for("share");
  if (!row) throw orgNotFound();
  if (!can(row.role, permission)) throw new AppError("forbidden", DENIED[permission]);
  return row.role;
}

export const SLUG_PATTERN = SLUG;
