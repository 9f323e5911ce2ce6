/**
 * One-time email links at the database level: stored hashed, bound to the address they were sent
 * to, expiring (verify 24 h, reset 1 h), single use even when two uses race.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users, userTokens } from "@/db/schema";
import { createTestUser } from "@/test/helpers";
import { consumeEmailToken, inspectEmailToken, issueEmailToken, TOKEN_TTL_MS } from "./email-tokens";
import { verifyEmailWithToken } from "./email-verification";

const HOUR = 3_600_000;

describe("email link tokens", () => {
  it("are a recognisable prefix plus 32 random bytes, and only their SHA-256 is stored", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { token: verify } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "verify_email" });
    const { token: reset } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    expect(verify).toMatch(/^byokv_[A-Za-z0-9_-]{43}$/);
    expect(reset).toMatch(/^byokr_[A-Za-z0-9_-]{43}$/);
    const rows = await db.select().from(userTokens).where(eq(userTokens.userId, user.id));
    expect(rows.map((r) => r.tokenHash).sort()).toEqual([verify, reset].map((t) => createHash("sha256").update(t).digest("hex")).sort());
    expect(JSON.stringify(rows)).not.toContain(verify.slice(6));
    expect(JSON.stringify(rows)).not.toContain(reset.slice(6));
  });

  it("expire: a verification link after 24 hours, a reset link after 1 hour", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    expect(TOKEN_TTL_MS).toEqual({ verify_email: 24 * HOUR, reset_password: HOUR });
    const issuedAgo = async (purpose: "verify_email" | "reset_password", ms: number) =>
      (await issueEmailToken(db, { userId: user.id, email: user.email, purpose, now: new Date(Date.now() - ms) })).token;

    const verifyStale = await issuedAgo("verify_email", 24 * HOUR + 1000);
    const verifyFresh = await issuedAgo("verify_email", 24 * HOUR - 60_000);
    expect(await inspectEmailToken(db, verifyStale, "verify_email")).toEqual({ state: "expired" });
    expect(await consumeEmailToken(db, verifyStale, "verify_email")).toBeNull();
    expect(await consumeEmailToken(db, verifyFresh, "verify_email")).toMatchObject({ userId: user.id, email: user.email });

    // The clock moves on: a reset link issued now works at 59 minutes and is dead at 61.
    const { token: reset } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    expect(await inspectEmailToken(db, reset, "reset_password", new Date(Date.now() + HOUR + 60_000))).toEqual({ state: "expired" });
    expect(await consumeEmailToken(db, reset, "reset_password", new Date(Date.now() + HOUR + 60_000))).toBeNull();
    expect(await consumeEmailToken(db, reset, "reset_password", new Date(Date.now() + HOUR - 60_000))).not.toBeNull();

    // Expired through the database, as a cleanup job or a clock would leave it.
    const { token: past } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    await db
      .update(userTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(userTokens.tokenHash, createHash("sha256").update(past).digest("hex")));
    expect(await inspectEmailToken(db, past, "reset_password")).toEqual({ state: "expired" });
    expect(await consumeEmailToken(db, past, "reset_password")).toBeNull();
  });

  it("work once: the second use is refused and the link reads as used", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { token } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "verify_email" });
    expect(await inspectEmailToken(db, token, "verify_email")).toMatchObject({ state: "valid", email: user.email });
    expect(await consumeEmailToken(db, token, "verify_email")).not.toBeNull();
    expect(await consumeEmailToken(db, token, "verify_email")).toBeNull();
    expect(await inspectEmailToken(db, token, "verify_email")).toMatchObject({ state: "used" });
  });

  it("two concurrent uses of one link: exactly one wins", async () => {
    const db = await getDb();
    for (let round = 0; round < 5; round++) {
      const user = await createTestUser(db);
      const { token } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
      const results = await Promise.all([
        db.transaction((tx) => consumeEmailToken(tx, token, "reset_password")),
        db.transaction((tx) => consumeEmailToken(tx, token, "reset_password")),
        consumeEmailToken(db, token, "reset_password"),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
  });

  it("are for one purpose: a reset link does not verify, a verification link does not reset", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { token: reset } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    const { token: verify } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "verify_email" });
    expect(await consumeEmailToken(db, reset, "verify_email")).toBeNull();
    expect(await consumeEmailToken(db, verify, "reset_password")).toBeNull();
    // A reset token relabelled as a verification token (same random part) is unknown.
    expect(await consumeEmailToken(db, `byokv_${reset.slice(6)}`, "verify_email")).toBeNull();
    expect(await inspectEmailToken(db, "byokv_short", "verify_email")).toEqual({ state: "invalid" });
  });

  it("a new reset link ends the older unused ones", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { token: first } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    const { token: second } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    expect(await inspectEmailToken(db, first, "reset_password")).toEqual({ state: "expired" });
    expect(await consumeEmailToken(db, first, "reset_password")).toBeNull();
    expect(await consumeEmailToken(db, second, "reset_password")).not.toBeNull();
  });

  it("a verification link for a previous email does not verify a changed email", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { token } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "verify_email" });
    await db
      .update(users)
      .set({ email: `changed-${user.email}` })
      .where(eq(users.id, user.id));
    expect(await inspectEmailToken(db, token, "verify_email")).toEqual({ state: "invalid" });
    await expect(verifyEmailWithToken(db, token)).rejects.toMatchObject({ code: "not_found" });
    const [row] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
    expect(row!.verifiedAt).toBeNull();
    // Back to the address it was sent to, the link works again (it was never used).
    await db.update(users).set({ email: user.email }).where(eq(users.id, user.id));
    expect(await verifyEmailWithToken(db, token)).toEqual({ userId: user.id, email: user.email });
  });
});
