/** Who may read an organization's usage: its owners and admins (the same people who read its activity). */
import "server-only";
import type { Executor } from "@/db/client";
import { AppError } from "@/lib/errors";
import { loadOrgAccess, type OrgAccess } from "@/lib/orgs/access";
import { can, type OrgRole } from "@/lib/orgs/roles";

export function canReadOrgUsage(role: OrgRole): boolean {
  return can(role, "read_activity");
}

export function canManagePrices(role: OrgRole): boolean {
  return can(role, "manage_credentials");
}

/** Loads the org by slug for `userId`: not_found for non-members, forbidden for plain members. */
export async function requireOrgUsageAccess(db: Executor, slug: string, userId: string): Promise<OrgAccess> {
  const access = await loadOrgAccess(db, slug, userId);
  if (!canReadOrgUsage(access.role)) throw new AppError("forbidden", "Only owners and admins can read the organization’s usage.");
  return access;
}
