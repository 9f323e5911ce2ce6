/**
 * Migration 0004: org tokens made before revocation-on-departure existed, by people who have since
 * been removed or demoted, are revoked once, with an activity entry each; everyone else's stay.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agentTokens, memberships } from "@/db/schema";
import { listEvents } from "@/lib/audit/events";
import { createToken } from "@/lib/tokens/queries";
import { orgOwner } from "@/lib/owners";
import { makeCast } from "@/test/orgs";
import { getDb } from "./client";
import { migrationsFolder } from "./migrate";

const migration = readFileSync(path.join(migrationsFolder, "0004_revoke_org_tokens_of_former_admins.sql"), "utf8");

describe("migration 0004: org tokens of former admins", () => {
  it("revokes the live org tokens whose creator is no longer an owner or admin, and logs each", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const owner = orgOwner(cast.orgId);
    const make = async (creator: { id: string }, name: string) =>
      (await createToken(db, owner, { name, expiresInDays: "never", actorUserId: creator.id })).view.id;
    const byOwner = await make(cast.owner, "owner's");
    const byAdmin = await make(cast.admin, "admin's");
    const byDemoted = await make(cast.target, "demoted");
    const byRemoved = await make(cast.removed, "removed");
    const personal = (
      await createToken(db, { type: "user", id: cast.member.id }, { name: "mine", expiresInDays: "never", actorUserId: cast.member.id })
    ).view.id;
    // As it was before the rule: the target is a plain member, the removed person is gone.
    await db.update(memberships).set({ role: "member" }).where(eq(memberships.userId, cast.target.id));

    await db.execute(sql.raw(migration));

    const state = Object.fromEntries(
      (await db.select({ id: agentTokens.id, revokedAt: agentTokens.revokedAt }).from(agentTokens)).map((t) => [
        t.id,
        t.revokedAt !== null,
      ]),
    );
    expect({
      byOwner: state[byOwner],
      byAdmin: state[byAdmin],
      byDemoted: state[byDemoted],
      byRemoved: state[byRemoved],
      personal: state[personal],
    }).toEqual({
      byOwner: false,
      byAdmin: false,
      byDemoted: true,
      byRemoved: true,
      personal: false,
    });
    const { events } = await listEvents(db, { orgId: cast.orgId }, { kind: "token.revoked" });
    expect(events.map((e) => [e.targetId, e.details.reason]).sort()).toEqual(
      [
        [byDemoted, "creator_not_admin"],
        [byRemoved, "creator_not_admin"],
      ].sort(),
    );
  });
});
