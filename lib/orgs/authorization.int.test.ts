/**
 * The authorization matrix: every organization action × owner, admin, member, outsider and
 * removed member, each expected to be allowed or refused — plus id-swapping across organizations.
 * Actions are called through the same lib/ service functions the server actions call.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { listEvents } from "@/lib/audit/events";
import { createTestUser, withEmulator } from "@/test/helpers";
import { actorOf, makeCast, saveOrgCredential, type Cast } from "@/test/orgs";
import { parseCredentialForm } from "@/lib/credentials/form";
import { removeInScope, revalidateInScope, saveInScope, setDefaultInScope } from "@/lib/credentials/service";
import { createTokenInScope, revokeTokenInScope } from "@/lib/tokens/service";
import { cardForm } from "@/test/helpers";
import { loadOrgAccess, requireOrgPermission } from "./access";
import { createInvitation } from "./invitations";
import { createOrganization } from "./organizations";
import { changeMemberRole, removeMember, transferOwnership } from "./members";
import { setCredentialSharing } from "./sharing";

const { host } = withEmulator();
type Role = "owner" | "admin" | "member" | "outsider" | "removed";
const ROLES: Role[] = ["owner", "admin", "member", "outsider", "removed"];
type Fixture = { db: Database; cast: Cast; credentialId: string; tokenId: string };
type Action = { name: string; allowed: Role[]; run: (f: Fixture, actor: ReturnType<typeof actorOf>) => Promise<unknown> };

const OWNER_ADMIN: Role[] = ["owner", "admin"];
const MEMBERS: Role[] = ["owner", "admin", "member"];

const ACTIONS: Action[] = [
  { name: "view cards", allowed: MEMBERS, run: (f, a) => loadOrgAccess(f.db, f.cast.slug, a.userId) },
  {
    name: "edit a provider",
    allowed: OWNER_ADMIN,
    run: (f, a) => {
      const form = parseCredentialForm(
        cardForm({
          provider: "openai",
          apiHost: host("openai"),
          model: "gpt-4o-mini",
          fields: { apiKey: "sk-proj-valid-edit-xyzxyzxyzxyzxyz" },
        }),
      );
      if (!form.ok) throw new Error("form");
      return saveInScope(f.db, a, { kind: "org", slug: f.cast.slug }, form);
    },
  },
  {
    name: "re-validate a provider",
    allowed: OWNER_ADMIN,
    run: (f, a) => revalidateInScope(f.db, a, { kind: "org", slug: f.cast.slug }, f.credentialId),
  },
  {
    name: "remove a provider",
    allowed: OWNER_ADMIN,
    run: (f, a) => removeInScope(f.db, a, { kind: "org", slug: f.cast.slug }, f.credentialId),
  },
  {
    name: "set the org default",
    allowed: OWNER_ADMIN,
    run: (f, a) => setDefaultInScope(f.db, a, { kind: "org", slug: f.cast.slug }, f.credentialId),
  },
  {
    name: "change sharing",
    allowed: OWNER_ADMIN,
    run: (f, a) => setCredentialSharing(f.db, a, f.cast.slug, f.credentialId, { mode: "selected", userIds: [f.cast.member.id] }),
  },
  {
    name: "invite",
    allowed: OWNER_ADMIN,
    run: (f, a) => createInvitation(f.db, a, f.cast.slug, { email: "new@example.test", role: "member" }, "http://app.test"),
  },
  {
    name: "change a member's role",
    allowed: OWNER_ADMIN,
    run: (f, a) => changeMemberRole(f.db, a, f.cast.slug, f.cast.target.id, "admin"),
  },
  { name: "remove a member", allowed: OWNER_ADMIN, run: (f, a) => removeMember(f.db, a, f.cast.slug, f.cast.target.id) },
  { name: "transfer ownership", allowed: ["owner"], run: (f, a) => transferOwnership(f.db, a, f.cast.slug, f.cast.target.id) },
  {
    name: "create an org token",
    allowed: OWNER_ADMIN,
    run: (f, a) => createTokenInScope(f.db, a, { kind: "org", slug: f.cast.slug }, { name: "ci", expiresInDays: "never" }),
  },
  {
    name: "revoke an org token",
    allowed: OWNER_ADMIN,
    run: (f, a) => revokeTokenInScope(f.db, a, { kind: "org", slug: f.cast.slug }, f.tokenId),
  },
  { name: "read activity", allowed: OWNER_ADMIN, run: (f, a) => requireOrgPermission(f.db, f.cast.slug, a.userId, "read_activity") },
];

let people: Omit<Cast, "slug" | "orgId">;

beforeAll(async () => {
  const db = await getDb();
  const cast = await makeCast(db);
  people = {
    owner: cast.owner,
    admin: cast.admin,
    member: cast.member,
    outsider: cast.outsider,
    removed: cast.removed,
    target: cast.target,
  };
});

// The same six people act in every case within a minute, far past the per-user limits on provider
// checks (lib/rate-limits/expensive.ts); each case starts with fresh counters.
beforeEach(async () => {
  await (await getDb()).delete(rateLimits);
});

async function fixture(): Promise<Fixture> {
  const db = await getDb();
  const cast = await makeCast(db, people);
  const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"));
  const { view } = await createTokenInScope(
    db,
    actorOf(cast.owner),
    { kind: "org", slug: cast.slug },
    { name: "existing", expiresInDays: "never" },
  );
  return { db, cast, credentialId: credential.id, tokenId: view.id };
}

describe("organization authorization matrix", () => {
  for (const action of ACTIONS) {
    for (const role of ROLES) {
      const allowed = action.allowed.includes(role);
      it(`${action.name} — ${role} → ${allowed ? "allowed" : "refused"}`, async () => {
        const f = await fixture();
        const outcome = await action.run(f, actorOf(f.cast[role])).then(
          () => "allowed",
          (error: { code?: string }) => error.code ?? String(error),
        );
        if (allowed) expect(outcome).toBe("allowed");
        // Non-members learn nothing (not found); members without the right are told no.
        else expect(outcome).toBe(role === "outsider" || role === "removed" ? "not_found" : "forbidden");
      });
    }
  }
});

describe("ids from another organization are not found", () => {
  it("an admin of one org cannot touch another org's provider, token or members through their own org", async () => {
    const f = await fixture();
    const db = f.db;
    const otherOwner = await createTestUser(db, "Other owner");
    const other = await createOrganization(db, actorOf(otherOwner), { name: "Other Org" });
    const foreign = await saveOrgCredential(db, otherOwner, other.slug, host("openai"), "sk-proj-valid-foreign-xyzxyzxyzxyzxy");
    const { view: foreignToken } = await createTokenInScope(
      db,
      actorOf(otherOwner),
      { kind: "org", slug: other.slug },
      { name: "x", expiresInDays: "never" },
    );
    const admin = actorOf(f.cast.admin);
    const mine = { kind: "org", slug: f.cast.slug } as const;
    const attempts: Promise<unknown>[] = [
      removeInScope(db, admin, mine, foreign.id),
      revalidateInScope(db, admin, mine, foreign.id),
      setDefaultInScope(db, admin, mine, foreign.id),
      setCredentialSharing(db, admin, f.cast.slug, foreign.id, { mode: "all", userIds: [] }),
      revokeTokenInScope(db, admin, mine, foreignToken.id),
      removeMember(db, admin, f.cast.slug, otherOwner.id),
      changeMemberRole(db, admin, f.cast.slug, otherOwner.id, "member"),
      setDefaultInScope(db, actorOf(f.cast.member), { kind: "user" }, foreign.id),
      setCredentialSharing(db, admin, f.cast.slug, f.credentialId, { mode: "selected", userIds: [otherOwner.id] }),
    ];
    const codes = await Promise.all(
      attempts.map((p) =>
        p.then(
          () => "allowed",
          (e: { code?: string }) => e.code,
        ),
      ),
    );
    expect(codes).toEqual([
      "not_found",
      "not_found",
      "not_found",
      "not_found",
      "not_found",
      "not_found",
      "not_found",
      "not_found",
      "invalid_request",
    ]);
    // …and the other org is untouched.
    expect((await loadOrgAccess(db, other.slug, otherOwner.id)).role).toBe("owner");
  });
});

describe("owners", () => {
  it("the last owner can neither leave, be demoted nor be removed; ownership can be transferred", async () => {
    const f = await fixture();
    const { db, cast } = f;
    const { leaveOrganization } = await import("./members");
    await expect(leaveOrganization(db, actorOf(cast.owner), cast.slug)).rejects.toMatchObject({ code: "conflict" });
    await expect(changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.owner.id, "admin")).rejects.toMatchObject({ code: "conflict" });
    await expect(changeMemberRole(db, actorOf(cast.admin), cast.slug, cast.owner.id, "member")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(changeMemberRole(db, actorOf(cast.admin), cast.slug, cast.member.id, "owner")).rejects.toMatchObject({
      code: "forbidden",
    });
    await transferOwnership(db, actorOf(cast.owner), cast.slug, cast.admin.id);
    expect((await loadOrgAccess(db, cast.slug, cast.admin.id)).role).toBe("owner");
    expect((await loadOrgAccess(db, cast.slug, cast.owner.id)).role).toBe("admin");
    await leaveOrganization(db, actorOf(cast.owner), cast.slug);
    await expect(loadOrgAccess(db, cast.slug, cast.owner.id)).rejects.toMatchObject({ code: "not_found" });
    const log = await listEvents(db, { orgId: cast.orgId }, { limit: 100 });
    expect(log.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["ownership.transferred", "member.left", "member.removed", "org.created", "credential.created"]),
    );
    expect(JSON.stringify(log)).not.toContain("sk-proj");
  });
});
