/** Building blocks for organization tests: an org with an owner, an admin, a member, an outsider and a removed member. */
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { memberships } from "@/db/schema";
import type { PublicUser } from "@/lib/auth/users";
import { parseCredentialForm } from "@/lib/credentials/form";
import { saveInScope, setDeliveryInScope } from "@/lib/credentials/service";
import { removeMember } from "@/lib/orgs/members";
import { createOrganization } from "@/lib/orgs/organizations";
import type { OrgRole } from "@/lib/orgs/roles";
import { cardForm, createTestUser } from "./helpers";

export type Cast = {
  slug: string;
  orgId: string;
  owner: PublicUser;
  admin: PublicUser;
  member: PublicUser;
  outsider: PublicUser;
  removed: PublicUser;
  /** A second plain member, the target of member-management actions. */
  target: PublicUser;
};

export const actorOf = (user: PublicUser) => ({ userId: user.id, ip: "203.0.113.9" });

let counter = 0;

export async function addMember(db: Database, orgId: string, user: PublicUser, role: OrgRole) {
  await db.insert(memberships).values({ orgId, userId: user.id, role });
}

/** Users are created once per file (argon2 is slow); each call makes a fresh org around them. */
export async function makeCast(db: Database, people?: Omit<Cast, "slug" | "orgId">): Promise<Cast> {
  const users = people ?? {
    owner: await createTestUser(db, "Owner"),
    admin: await createTestUser(db, "Admin"),
    member: await createTestUser(db, "Member"),
    outsider: await createTestUser(db, "Outsider"),
    removed: await createTestUser(db, "Removed"),
    target: await createTestUser(db, "Target"),
  };
  const org = await createOrganization(db, actorOf(users.owner), { name: `Acme ${++counter} ${Date.now()}` });
  await addMember(db, org.id, users.admin, "admin");
  await addMember(db, org.id, users.member, "member");
  await addMember(db, org.id, users.target, "member");
  await addMember(db, org.id, users.removed, "member");
  await removeMember(db, actorOf(users.owner), org.slug, users.removed.id);
  return { ...users, slug: org.slug, orgId: org.id };
}

export async function memberRoleOf(db: Database, orgId: string, userId: string) {
  const rows = await db.select({ role: memberships.role, org: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId));
  return rows.find((r) => r.org === orgId)?.role ?? null;
}

/**
 * Saves a provider card in an org as `actor` (validated against the emulator). Org credentials are
 * created in gateway mode; `delivery` "key" (the default here, for the tests of key-mode answers)
 * switches it to handing out the key, as an owner would.
 */
export async function saveOrgCredential(
  db: Database,
  actor: PublicUser,
  slug: string,
  apiHost: string,
  key = "sk-proj-valid-org-xyzxyzxyzxyzxyzxyz",
  provider = "openai",
  model = "gpt-4o",
  delivery: "key" | "gateway" = "key",
) {
  const parsed = parseCredentialForm(cardForm({ provider, apiHost, model, fields: { apiKey: key } }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  const result = await saveInScope(db, actorOf(actor), { kind: "org", slug }, parsed);
  if (!result.saved) throw new Error(`not saved: ${result.report.title}`);
  if (delivery !== result.credential.delivery) {
    await setDeliveryInScope(db, actorOf(actor), { kind: "org", slug }, result.credential.id, delivery);
    return { ...result.credential, delivery };
  }
  return result.credential;
}
