/**
 * What each organization role may do. One table, used by every org action and tested as a matrix.
 * Members use shared providers; owners and admins manage them; only owners manage owners.
 */
import type { OrgRole } from "@/db/schema/organizations";

export type { OrgRole };

export const ORG_ROLES: readonly OrgRole[] = ["owner", "admin", "member"];

export type OrgPermission =
  | "view" // see the org's cards (read-only), members, its name
  | "manage_credentials" // add, edit, re-validate, remove org providers; see validation details
  | "set_org_default"
  | "share" // choose who an org credential is shared with
  | "invite"
  | "manage_members" // change roles (below owner), remove members
  | "manage_owners" // grant or revoke owner, transfer ownership, remove an owner
  | "manage_tokens" // create and revoke org tokens
  | "read_activity";

const MATRIX: Record<OrgRole, ReadonlySet<OrgPermission>> = {
  owner: new Set<OrgPermission>([
    "view",
    "manage_credentials",
    "set_org_default",
    "share",
    "invite",
    "manage_members",
    "manage_owners",
    "manage_tokens",
    "read_activity",
  ]),
  admin: new Set<OrgPermission>([
    "view",
    "manage_credentials",
    "set_org_default",
    "share",
    "invite",
    "manage_members",
    "manage_tokens",
    "read_activity",
  ]),
  member: new Set<OrgPermission>(["view"]),
};

export function can(role: OrgRole, permission: OrgPermission): boolean {
  return MATRIX[role].has(permission);
}

/** Roles `actor` may hand out (invite as, or change someone to). */
export function assignableRoles(actor: OrgRole): OrgRole[] {
  if (actor === "owner") return ["owner", "admin", "member"];
  if (actor === "admin") return ["admin", "member"];
  return [];
}

export function isOrgRole(value: unknown): value is OrgRole {
  return value === "owner" || value === "admin" || value === "member";
}
