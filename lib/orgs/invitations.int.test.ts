import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { invitations } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { createTestUser } from "@/test/helpers";
import { actorOf, makeCast } from "@/test/orgs";
import { loadOrgAccess } from "./access";
import {
  acceptInvitation,
  createInvitation,
  getInvitation,
  INVITATION_LIMITS,
  listPendingInvitations,
  revokeInvitation,
} from "./invitations";

async function invite(email: string, role: "member" | "admin" | "owner" = "member") {
  const db = await getDb();
  const cast = await makeCast(db);
  const { link, emailed } = await createInvitation(db, actorOf(cast.admin), cast.slug, { email, role }, "http://app.test");
  return { db, cast, link, token: link.split("/").pop()!, emailed };
}

describe("invitations", () => {
  it("a link valid 7 days, not emailed without SMTP, accepted once by the matching email", async () => {
    const { db, cast, link, token, emailed } = await invite("Newcomer@Example.test");
    expect(link).toMatch(/^http:\/\/app\.test\/invite\/byoki_[A-Za-z0-9_-]{43}$/);
    expect(emailed).toBe(false);
    const [row] = await db.select().from(invitations).where(eq(invitations.orgId, cast.orgId));
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeCloseTo(7 * 86_400_000, -4);
    expect(await getInvitation(db, token)).toMatchObject({ email: "newcomer@example.test", role: "member", state: "pending" });

    const stranger = await createTestUser(db, "Stranger");
    await expect(acceptInvitation(db, { ...actorOf(stranger), email: stranger.email }, token)).rejects.toMatchObject({ code: "forbidden" });
    const newcomer = await createTestUser(db, "Newcomer");
    const invited = { ...actorOf(newcomer), email: "NEWCOMER@example.test" };
    const [first, second] = await Promise.allSettled([acceptInvitation(db, invited, token), acceptInvitation(db, invited, token)]);
    expect([first.status, second.status].sort()).toEqual(["fulfilled", "rejected"]);
    expect((await loadOrgAccess(db, cast.slug, newcomer.id)).role).toBe("member");
    expect(await getInvitation(db, token)).toMatchObject({ state: "accepted" });
  });

  it("only owners invite owners; members are refused; a member cannot be invited twice", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const link = "http://app.test";
    await expect(
      createInvitation(db, actorOf(cast.admin), cast.slug, { email: "x@example.test", role: "owner" }, link),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createInvitation(db, actorOf(cast.member), cast.slug, { email: "x@example.test", role: "member" }, link),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      createInvitation(db, actorOf(cast.owner), cast.slug, { email: cast.member.email, role: "member" }, link),
    ).rejects.toMatchObject({ code: "conflict" });
    await createInvitation(db, actorOf(cast.owner), cast.slug, { email: "boss@example.test", role: "owner" }, link);
  });

  it("expired, revoked and malformed links are refused with a clear state", async () => {
    const { db, cast, token } = await invite("late@example.test");
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.orgId, cast.orgId));
    expect(await getInvitation(db, token)).toMatchObject({ state: "expired" });
    const late = await createTestUser(db, "Late");
    await expect(acceptInvitation(db, { ...actorOf(late), email: "late@example.test" }, token)).rejects.toMatchObject({ code: "conflict" });
    await expect(getInvitation(db, "byoki_nope")).rejects.toMatchObject({ code: "not_found" });

    const again = await createInvitation(
      db,
      actorOf(cast.owner),
      cast.slug,
      { email: "late@example.test", role: "member" },
      "http://app.test",
    );
    const [pending] = await listPendingInvitations(db, cast.orgId);
    await revokeInvitation(db, actorOf(cast.owner), cast.slug, pending!.id);
    expect(await getInvitation(db, again.link.split("/").pop()!)).toMatchObject({ state: "revoked" });
  });

  it("each inviter may send 50 invitations a day, across organizations", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const rows = (count: number, ageMs: number) =>
      Array.from({ length: count }, (_, i) => ({
        orgId: cast.orgId,
        email: `bulk-${ageMs}-${i}@example.test`,
        role: "member" as const,
        tokenHash: `h-${ageMs}-${i}-${Math.random()}`,
        invitedByUserId: cast.admin.id,
        createdAt: new Date(Date.now() - ageMs),
        expiresAt: new Date(Date.now() + 86_400_000),
      }));
    // Yesterday's invitations no longer count; 49 of the last 24 hours leave room for one more.
    await db.insert(invitations).values([...rows(30, 25 * 3_600_000), ...rows(INVITATION_LIMITS.perUserPerDay - 1, 2 * 3_600_000)]);
    await createInvitation(db, actorOf(cast.admin), cast.slug, { email: "fiftieth@example.test", role: "member" }, "http://app.test");
    // The limit is the inviter's, whatever the organization.
    const elsewhere = await makeCast(db, { ...cast });
    const refused = createInvitation(
      db,
      actorOf(cast.admin),
      elsewhere.slug,
      { email: "one-more@example.test", role: "member" },
      "http://app.test",
    );
    await expect(refused).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/You have sent 50 invitations in the last 24 hours.+Try again in about 22 hours/),
    });
    const error = (await refused.catch((e: unknown) => e)) as AppError;
    expect(error.retryAfter).toBeGreaterThan(21 * 3600);
    expect(error.retryAfter).toBeLessThanOrEqual(22 * 3600);
    // Someone else in the same organization still may.
    await createInvitation(db, actorOf(cast.owner), cast.slug, { email: "owner-invites@example.test", role: "member" }, "http://app.test");
  });

  it("an organization receives at most 200 invitations a day, whoever sends them", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    await db.insert(invitations).values(
      Array.from({ length: INVITATION_LIMITS.perOrgPerDay }, (_, i) => ({
        orgId: cast.orgId,
        email: `org-bulk-${i}@example.test`,
        role: "member" as const,
        tokenHash: `o-${i}-${Math.random()}`,
        invitedByUserId: null,
        expiresAt: new Date(Date.now() + 86_400_000),
      })),
    );
    await expect(
      createInvitation(db, actorOf(cast.owner), cast.slug, { email: "x@example.test", role: "member" }, "http://app.test"),
    ).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringContaining("This organization has sent 200 invitations in the last 24 hours"),
    });
  });
});
