import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { invitations } from "@/db/schema";
import { createTestUser } from "@/test/helpers";
import { actorOf, makeCast } from "@/test/orgs";
import { loadOrgAccess } from "./access";
import { acceptInvitation, createInvitation, getInvitation, listPendingInvitations, revokeInvitation } from "./invitations";

async function invite(email: string, role: "member" | "admin" | "owner" = "member") {
  const db = await getDb();
  const cast = await makeCast(db);
  const { link, emailed } = await createInvitation(db, actorOf(cast.admin), cast.slug, { email, role }, (t) => `http://app.test/invite/${t}`);
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
    const link = (t: string) => `/invite/${t}`;
    await expect(createInvitation(db, actorOf(cast.admin), cast.slug, { email: "x@example.test", role: "owner" }, link)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createInvitation(db, actorOf(cast.member), cast.slug, { email: "x@example.test", role: "member" }, link)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createInvitation(db, actorOf(cast.owner), cast.slug, { email: cast.member.email, role: "member" }, link)).rejects.toMatchObject({ code: "conflict" });
    await createInvitation(db, actorOf(cast.owner), cast.slug, { email: "boss@example.test", role: "owner" }, link);
  });

  it("expired, revoked and malformed links are refused with a clear state", async () => {
    const { db, cast, token } = await invite("late@example.test");
    await db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.orgId, cast.orgId));
    expect(await getInvitation(db, token)).toMatchObject({ state: "expired" });
    const late = await createTestUser(db, "Late");
    await expect(acceptInvitation(db, { ...actorOf(late), email: "late@example.test" }, token)).rejects.toMatchObject({ code: "conflict" });
    await expect(getInvitation(db, "byoki_nope")).rejects.toMatchObject({ code: "not_found" });

    const again = await createInvitation(db, actorOf(cast.owner), cast.slug, { email: "late@example.test", role: "member" }, (t) => t);
    const [pending] = await listPendingInvitations(db, cast.orgId);
    await revokeInvitation(db, actorOf(cast.owner), cast.slug, pending!.id);
    expect(await getInvitation(db, again.link)).toMatchObject({ state: "revoked" });
  });
});
