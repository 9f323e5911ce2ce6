/**
 * Verified email with SMTP configured, through a real SMTP server (a local sink): sign-up mails a
 * link under APP_URL that verifies once; "Resend" is limited; no account is trusted without the
 * link, not even the first; accepting an invitation waits for verification.
 */
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";

const sink = await vi.hoisted(async () => {
  const { startSmtpSink } = await import("@/test/smtp-sink");
  const started = await startSmtpSink();
  process.env.SMTP_URL = started.url;
  process.env.APP_URL = "https://byok.example.com";
  return started;
});

const { getDb } = await import("@/db/client");
const { users } = await import("@/db/schema");
const { dbLimiter } = await import("@/lib/rate-limits/store");
const { actorOf, makeCast } = await import("@/test/orgs");
const { acceptInvitation, createInvitation } = await import("@/lib/orgs/invitations");
const { issueEmailToken } = await import("./email-tokens");
const { RESEND_LIMITS, resendVerificationEmail, verifyEmailWithToken } = await import("./email-verification");
const { signUpSchema } = await import("./schemas");
const { registerAccount } = await import("./sign-up");

afterAll(() => sink.close());

let n = 0;
const signUp = async (email: string) =>
  registerAccount(await getDb(), signUpSchema.parse({ name: "Ada Lovelace", email, password: "a long enough password" }), `192.0.2.${++n}`);

async function verifiedAt(id: string) {
  const db = await getDb();
  const [row] = await db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, id));
  return row!.at;
}

const tokenIn = (text: string) => (text.match(/https?:\/\/\S+/g) ?? [])[0]!.split("/").pop()!;

describe("email verification with SMTP", () => {
  it("sign-up mails a link under APP_URL; the first account is not trusted without it; the link verifies once", async () => {
    const db = await getDb();
    const user = await signUp("first.ever@example.test");
    expect(await verifiedAt(user.id)).toBeNull();
    const mail = await sink.waitFor("first.ever@example.test");
    expect(mail.subject).toBe("Verify your email address for BYOK");
    expect(mail.text).toContain("Hi Ada Lovelace,");
    expect(mail.text).toContain("expires in 24 hours");
    const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
    expect(links).toEqual([expect.stringMatching(/^https:\/\/byok\.example\.com\/verify-email\/byokv_[A-Za-z0-9_-]{43}$/)]);

    expect(await verifyEmailWithToken(db, tokenIn(mail.text))).toEqual({ userId: user.id, email: "first.ever@example.test" });
    expect(await verifiedAt(user.id)).not.toBeNull();
    await expect(verifyEmailWithToken(db, tokenIn(mail.text))).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already used/),
    });
  });

  it("a verification link expires after 24 hours", async () => {
    const db = await getDb();
    const user = await signUp("slow.reader@example.test");
    const { token } = await issueEmailToken(db, {
      userId: user.id,
      email: user.email,
      purpose: "verify_email",
      now: new Date(Date.now() - 24 * 3_600_000 - 1000),
    });
    await expect(verifyEmailWithToken(db, token)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/expired/) });
    expect(await verifiedAt(user.id)).toBeNull();
  });

  it("a link sent to a previous address does not verify the changed one", async () => {
    const db = await getDb();
    const user = await signUp("old.address@example.test");
    const mail = await sink.waitFor("old.address@example.test");
    await db.update(users).set({ email: "new.address@example.test" }).where(eq(users.id, user.id));
    await expect(verifyEmailWithToken(db, tokenIn(mail.text))).rejects.toMatchObject({ code: "not_found" });
    expect(await verifiedAt(user.id)).toBeNull();
  });

  it("Resend: once a minute and a few times a day, with the wait; nothing to do once verified", async () => {
    const db = await getDb();
    const user = await signUp("resender@example.test");
    const me = { ...user, emailVerifiedAt: null };
    expect(await resendVerificationEmail(db, me)).toEqual({ already: false });
    await expect(resendVerificationEmail(db, me)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/once a minute\. Try again in \d+ seconds\.$/),
      retryAfter: expect.any(Number),
    });
    // Past the minute (its counter cleared), the daily limit still counts.
    const minute = dbLimiter(db, { keyPrefix: "verify:resend:minute", points: 1, durationSeconds: 60 });
    for (let i = 1; i < RESEND_LIMITS.perDay; i++) {
      await minute.delete(user.id);
      expect(await resendVerificationEmail(db, me)).toEqual({ already: false });
    }
    await minute.delete(user.id);
    await expect(resendVerificationEmail(db, me)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/^You asked for 5 verification emails today, the daily limit\. Try again in \d+ minutes\.$/),
    });
    // Sign-up's mail plus five resends were delivered, each with a working link of its own.
    await vi.waitFor(() => expect(sink.messages.filter((m) => m.to.includes("resender@example.test"))).toHaveLength(6));
    const last = sink.messages.filter((m) => m.to.includes("resender@example.test")).at(-1)!;
    await verifyEmailWithToken(db, tokenIn(last.text));
    expect(await resendVerificationEmail(db, { ...me, emailVerifiedAt: new Date() })).toEqual({ already: true });
  });

  it("accepting an invitation is refused until the address is verified, then works", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const invitee = await signUp("invitee@example.test");
    await createInvitation(
      db,
      actorOf(cast.admin),
      cast.slug,
      { email: "invitee@example.test", role: "admin" },
      "https://byok.example.com",
    );
    const invitation = await vi.waitFor(() => {
      const found = sink.messages.find((m) => m.to.includes("invitee@example.test") && m.subject.startsWith("You're invited"));
      expect(found).toBeDefined();
      return found!;
    });
    const inviteToken = tokenIn(invitation.text);
    const actor = { ...actorOf(invitee), email: invitee.email };
    await expect(acceptInvitation(db, actor, inviteToken)).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/^Verify your email address before accepting/),
    });
    const verification = sink.messages.find((m) => m.to.includes("invitee@example.test") && m.subject.startsWith("Verify"))!;
    await verifyEmailWithToken(db, tokenIn(verification.text));
    expect(await acceptInvitation(db, actor, inviteToken)).toEqual({ slug: cast.slug });
  });
});
