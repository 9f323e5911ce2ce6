/**
 * Org tokens do not outlive their creator's right to make them: removing, leaving or demoting an
 * admin below admin revokes the org tokens they created, in the same transaction, and the activity
 * log says how many. Checked end to end through the agent config route handler.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/config/route";
import { getDb } from "@/db/client";
import { agentTokens } from "@/db/schema";
import { listEvents } from "@/lib/audit/events";
import { setDefaultInScope } from "@/lib/credentials/service";
import { createTokenInScope, listTokensInScope } from "@/lib/tokens/service";
import { configRequest, withEmulator } from "@/test/helpers";
import { actorOf, makeCast, saveOrgCredential, type Cast } from "@/test/orgs";
import { changeMemberRole, leaveOrganization, listMembers, removeMember, transferOwnership } from "./members";

const { host } = withEmulator();
const ORG_KEY = "sk-proj-valid-orgtok-xyzxyzxyzxyzxyzx";
let people: Omit<Cast, "slug" | "orgId">;

beforeAll(async () => {
  const cast = await makeCast(await getDb());
  people = {
    owner: cast.owner,
    admin: cast.admin,
    member: cast.member,
    outsider: cast.outsider,
    removed: cast.removed,
    target: cast.target,
  };
});

async function status(token: string): Promise<number> {
  return (await GET(configRequest(`Bearer ${token}`))).status;
}

/** A fresh org with a default; `target` is a second admin. */
async function setup() {
  const db = await getDb();
  const cast = await makeCast(db, people);
  const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY);
  await setDefaultInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, credential.id);
  await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.target.id, "admin");
  const orgToken = async (user: Cast["owner"], name = "ci") =>
    createTokenInScope(db, actorOf(user), { kind: "org", slug: cast.slug }, { name, expiresInDays: "never" });
  return { db, cast, orgToken };
}

async function lastEvent(db: Awaited<ReturnType<typeof getDb>>, orgId: string, kind: string) {
  const { events } = await listEvents(db, { orgId }, { kind, limit: 1 });
  return events[0];
}

describe("org tokens follow their creator's membership", () => {
  it("removing an admin revokes the org tokens they created, and only those; the log has the count", async () => {
    const { db, cast, orgToken } = await setup();
    const a1 = await orgToken(cast.admin, "a1");
    const a2 = await orgToken(cast.admin, "a2");
    const other = await orgToken(cast.target, "other admin's");
    expect(await status(a1.token)).toBe(200);

    const result = await removeMember(db, actorOf(cast.owner), cast.slug, cast.admin.id);
    expect(await status(a1.token)).toBe(401);
    expect(await status(a2.token)).toBe(401);
    expect(await status(other.token)).toBe(200);
    expect(result).toEqual({ tokensRevoked: 2 });
    expect(await lastEvent(db, cast.orgId, "member.removed")).toMatchObject({
      targetId: cast.admin.id,
      details: { tokensRevoked: 2, name: cast.admin.name },
    });
    const listed = await listTokensInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug });
    expect(listed.find((t) => t.id === a1.view.id)).toMatchObject({ state: "revoked", createdByName: cast.admin.name });
    expect(listed.find((t) => t.id === other.view.id)).toMatchObject({ state: "active", createdByName: cast.target.name });
  });

  it("an admin who leaves loses their org tokens", async () => {
    const { db, cast, orgToken } = await setup();
    const mine = await orgToken(cast.admin);
    const other = await orgToken(cast.owner);
    expect(await status(mine.token)).toBe(200);
    const result = await leaveOrganization(db, actorOf(cast.admin), cast.slug);
    expect(await status(mine.token)).toBe(401);
    expect(await status(other.token)).toBe(200);
    expect(result).toMatchObject({ slug: cast.slug, tokensRevoked: 1 });
    expect(await lastEvent(db, cast.orgId, "member.left")).toMatchObject({ actorName: cast.admin.name, details: { tokensRevoked: 1 } });
  });

  it("demotion to member revokes (from admin, and from owner); the new key after a rotation is not reachable either", async () => {
    const { db, cast, orgToken } = await setup();
    const admins = await orgToken(cast.admin);
    const targets = await orgToken(cast.target);
    const result = await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.admin.id, "member");
    expect(await status(admins.token)).toBe(401);
    expect(result).toEqual({ tokensRevoked: 1 });
    expect(await lastEvent(db, cast.orgId, "member.role_changed")).toMatchObject({
      targetId: cast.admin.id,
      details: { from: "admin", to: "member", tokensRevoked: 1 },
    });
    // An owner demoted straight to member (another owner remains) loses theirs too.
    await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.target.id, "owner");
    const demotedOwner = await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.target.id, "member");
    expect(await status(targets.token)).toBe(401);
    expect(demotedOwner).toEqual({ tokensRevoked: 1 });
    // A rotated org key does not bring a revoked token back.
    await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), "sk-proj-valid-rotated-xyzxyzxyzxyzxyz");
    expect(await status(admins.token)).toBe(401);
    // Promoting them again does not revive anything: owners and admins create new tokens.
    await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.admin.id, "admin");
    expect(await status(admins.token)).toBe(401);
  });

  it("staying at admin or above revokes nothing: owner → admin, admin → owner, and ownership transfer", async () => {
    const { db, cast, orgToken } = await setup();
    const owners = await orgToken(cast.owner);
    const admins = await orgToken(cast.admin);
    expect(await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.admin.id, "owner")).toEqual({ tokensRevoked: 0 });
    expect(await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.admin.id, "admin")).toEqual({ tokensRevoked: 0 });
    await transferOwnership(db, actorOf(cast.owner), cast.slug, cast.target.id);
    expect(await status(owners.token)).toBe(200);
    expect(await status(admins.token)).toBe(200);
    const revoked = await db
      .select({ id: agentTokens.id })
      .from(agentTokens)
      .where(and(eq(agentTokens.ownerOrgId, cast.orgId), isNotNull(agentTokens.revokedAt)));
    expect(revoked).toEqual([]);
    expect(await lastEvent(db, cast.orgId, "member.role_changed")).toMatchObject({
      details: { from: "owner", to: "admin", tokensRevoked: 0 },
    });
  });

  it("removing a plain member leaves everyone's org tokens alone", async () => {
    const { db, cast, orgToken } = await setup();
    const owners = await orgToken(cast.owner);
    expect(await removeMember(db, actorOf(cast.admin), cast.slug, cast.member.id)).toEqual({ tokensRevoked: 0 });
    expect(await status(owners.token)).toBe(200);
  });

  it("lists each member's count of active org tokens they created (revoked and expired ones not counted)", async () => {
    const { db, cast, orgToken } = await setup();
    await orgToken(cast.admin, "one");
    await orgToken(cast.admin, "two");
    const expired = await orgToken(cast.admin, "expired");
    await db
      .update(agentTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(agentTokens.id, expired.view.id));
    const revoked = await orgToken(cast.admin, "revoked");
    await db.update(agentTokens).set({ revokedAt: new Date() }).where(eq(agentTokens.id, revoked.view.id));
    await orgToken(cast.owner, "owner's");
    const counts = Object.fromEntries((await listMembers(db, cast.orgId)).map((m) => [m.userId, m.orgTokens]));
    expect(counts).toEqual({ [cast.owner.id]: 1, [cast.admin.id]: 2, [cast.target.id]: 0, [cast.member.id]: 0 });
  });
});

describe("org token expiry", () => {
  it("defaults to 90 days for org tokens when the form says nothing; personal tokens keep never; never is allowed", async () => {
    const { db, cast } = await setup();
    const org = { kind: "org", slug: cast.slug } as const;
    const days = (d: Date | null) => (d ? Math.round((d.getTime() - Date.now()) / 86_400_000) : null);
    expect(days((await createTokenInScope(db, actorOf(cast.admin), org, { name: "default" })).view.expiresAt)).toBe(90);
    expect((await createTokenInScope(db, actorOf(cast.admin), org, { name: "forever", expiresInDays: "never" })).view.expiresAt).toBeNull();
    expect(days((await createTokenInScope(db, actorOf(cast.admin), org, { name: "week", expiresInDays: "7" })).view.expiresAt)).toBe(7);
    expect((await createTokenInScope(db, actorOf(cast.admin), { kind: "user" }, { name: "personal" })).view.expiresAt).toBeNull();
    expect(await lastEvent(db, cast.orgId, "token.created")).toMatchObject({ details: { expires: "7" } });
  });
});
