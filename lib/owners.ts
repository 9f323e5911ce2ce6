/** Who owns a credential or a token: a user, or an organization. */
import { eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

export type Owner = { type: "user"; id: string } | { type: "org"; id: string };

export const userOwner = (id: string): Owner => ({ type: "user", id });
export const orgOwner = (id: string): Owner => ({ type: "org", id });

/** The owner columns to write for a row owned by `owner`. */
export function ownerColumns(owner: Owner): { ownerUserId: string | null; ownerOrgId: string | null } {
  return owner.type === "user" ? { ownerUserId: owner.id, ownerOrgId: null } : { ownerUserId: null, ownerOrgId: owner.id };
}

/** A WHERE clause matching rows owned by `owner`, for tables with owner_user_id / owner_org_id. */
export function ownedBy(table: { ownerUserId: PgColumn; ownerOrgId: PgColumn }, owner: Owner): SQL {
  return owner.type === "user" ? eq(table.ownerUserId, owner.id) : eq(table.ownerOrgId, owner.id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a syntactically valid UUID (ids from the browser are checked before any query). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
