/**
 * Forgot password through a real SMTP server (a local sink): one answer for known and unknown
 * emails, limits per email and per address that say nothing more, a mailed link under APP_URL that
 * works once, and a reset that ends every session.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";

const sink = await vi.hoisted(async () => {
  const { startSmtpSink } = await import("@/test/smtp-sink");
  const started = await startSmtpSink();
  process.env.SMTP_URL = started.url;
  process.env.APP_URL = "https://byok.example.com/";
  return started;
});

const { getDb } = await import("@/db/client");
const { auditEvents, users } = await import("@/db/schema");
const { failure } = await import("@/lib/actions");
const { createTestUser } = await import("@/test/helpers");
const { issueEmailToken } = await import("./email-tokens");
const { issueOperatorResetLink, RESET_LIMITS, RESET_REQUESTED, requestPasswordReset, resetPasswordWithToken } =
  await import("./password-reset");
const { verifyCredentials } = await import("./users");
const { attemptSignIn } = await import("./sign-in");
const { SIGN_IN_LIMITS } = await import("./throttle");

afterAll(() => sink.close());

const PASSWORD = "a long enough password"; // createTestUser's
let n = 0;
const address = () => `198.51.100.${++n}`;

/** A schedule that keeps the background tasks, so a test can count and await them. */
function collect() {
  const tasks: Promise<unknown>[] = [];
  return { schedule: (task: () => Promise<unknown>) => void tasks.push(task()), tasks, done: () => Promise.all(tasks) };
}

/** The answer as the action gives it: the lib's result, or its refusal mapped by the action wrapper. */
async function answer(email: string, ip: string, schedule = collect().schedule) {
  const db = await getDb();
  try {
    const { message } = await requestPasswordReset(db, email, ip, schedule);
    return { ok: true, message };
  } catch (error) {
    return failure(error);
  }
}

async function userRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row!;
}

const linkIn = (text: string) => (text.match(/https?:\/\/\S+/g) ?? [])[0];

describe("forgot password", () => {
  it("answers exactly the same for a known and an unknown email, with the same work on the answer path", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const known = collect();
    const unknown = collect();
    const forKnown = await answer(user.email, address(), known.schedule);
    const forUnknown = await answer(`nobody-${user.email}`, address(), unknown.schedule);
    expect(forKnown).toEqual({ ok: true, message: RESET_REQUESTED });
    expect(forUnknown).toEqual(forKnown);
    // Both answers scheduled exactly one background task and awaited nothing of the lookup or the mail.
    expect(known.tasks).toHaveLength(1);
    expect(unknown.tasks).toHaveLength(1);
    await Promise.all([known.done(), unknown.done()]);
    await sink.waitFor(user.email);
    expect(sink.messages.filter((m) => m.to.includes(`nobody-${user.email}`))).toHaveLength(0);
  });

  it("limits requests per email, known or not, with one refusal for both", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const ghost = `ghost-${user.email}`;
    for (let i = 0; i < RESET_LIMITS.perEmail; i++) {
      expect(await answer(user.email, address())).toEqual({ ok: true, message: RESET_REQUESTED });
      expect(await answer(ghost, address())).toEqual({ ok: true, message: RESET_REQUESTED });
    }
    const limitedKnown = await answer(user.email, address());
    const limitedUnknown = await answer(ghost, address());
    expect(limitedKnown).toMatchObject({ ok: false, code: "rate_limited", retryAfter: 3600 });
    expect(limitedKnown).toMatchObject({ error: "Too many reset requests for this email or from your network. Try again in 60 minutes." });
    expect(limitedUnknown).toEqual(limitedKnown);
    // Another email from the same kind of place is unaffected.
    expect(await answer(`other-${user.email}`, address())).toEqual({ ok: true, message: RESET_REQUESTED });
  });

  it("limits requests per client address, with the same refusal", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const ip = address();
    for (let i = 0; i < RESET_LIMITS.perIp; i++) expect((await answer(`spray-${i}@example.test`, ip)).ok).toBe(true);
    const limitedUnknown = await answer("spray-last@example.test", ip);
    const limitedKnown = await answer(user.email, ip);
    expect(limitedUnknown).toMatchObject({ ok: false, code: "rate_limited" });
    expect(limitedKnown).toEqual(limitedUnknown);
    // The refused request did not use up the email's own budget: from elsewhere it still works.
    expect(await answer(user.email, address())).toEqual({ ok: true, message: RESET_REQUESTED });
    void db;
  });

  it("mails a link under APP_URL that resets the password once, ends every session and proves the address", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const before = await userRow(user.id);
    expect(before.emailVerifiedAt).toBeNull();
    const bg = collect();
    await answer(user.email, address(), bg.schedule);
    await bg.done();
    const mail = await sink.waitFor(user.email);
    expect(mail.subject).toBe("Reset your BYOK password");
    expect(mail.text).toContain("expires in 1 hour");
    const link = linkIn(mail.text)!;
    expect(link).toMatch(/^https:\/\/byok\.example\.com\/reset-password\/byokr_[A-Za-z0-9_-]{43}$/);
    const token = link.split("/").pop()!;

    expect(await resetPasswordWithToken(db, { token, password: "a brand new passphrase", ip: "203.0.113.7" })).toEqual({
      userId: user.id,
      email: user.email,
    });
    const after = await userRow(user.id);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await verifyCredentials(db, { email: user.email, password: PASSWORD })).toBeNull();
    expect(await verifyCredentials(db, { email: user.email, password: "a brand new passphrase" })).toMatchObject({ id: user.id });

    // The link worked once.
    await expect(resetPasswordWithToken(db, { token, password: "yet another passphrase", ip: null })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already used/),
    });
    expect(await verifyCredentials(db, { email: user.email, password: "a brand new passphrase" })).toMatchObject({ id: user.id });
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.userId, user.id), eq(auditEvents.kind, "account.password_reset")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorUserId: user.id, actorIp: "203.0.113.7", details: { via: "email" } });
    expect(JSON.stringify(events)).not.toContain(token.slice(6));
  });

  it("two resets with one link racing: exactly one succeeds", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { token } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    const results = await Promise.allSettled([
      resetPasswordWithToken(db, { token, password: "first racer password", ip: null }),
      resetPasswordWithToken(db, { token, password: "second racer password", ip: null }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await userRow(user.id)).sessionVersion).toBe(2);
  });

  it("a reset link expires after 1 hour, and a newer one replaces it", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { token: old } = await issueEmailToken(db, {
      userId: user.id,
      email: user.email,
      purpose: "reset_password",
      now: new Date(Date.now() - 3_600_000 - 1000),
    });
    await expect(resetPasswordWithToken(db, { token: old, password: "too late password", ip: null })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/expired/),
    });
    const { token: first } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    const { token: second } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
    await expect(resetPasswordWithToken(db, { token: first, password: "replaced link password", ip: null })).rejects.toMatchObject({
      code: "conflict",
    });
    await resetPasswordWithToken(db, { token: second, password: "newest link password", ip: null });
    await expect(resetPasswordWithToken(db, { token: "byokr_nonsense", password: "whatever password", ip: null })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await userRow(user.id)).sessionVersion).toBe(2);
  });

  it("an operator's link (npm run user:reset-password) resets the password but does not prove the address", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { link, expiresAt } = await issueOperatorResetLink(db, user.email.toUpperCase(), "http://localhost:3000/");
    expect(link).toMatch(/^http:\/\/localhost:3000\/reset-password\/byoko_[A-Za-z0-9_-]{43}$/);
    expect(Math.abs(expiresAt.getTime() - Date.now() - 3_600_000)).toBeLessThan(60_000);
    await resetPasswordWithToken(db, { token: link.split("/").pop()!, password: "operator given password", ip: null });
    const row = await userRow(user.id);
    expect(row.emailVerifiedAt).toBeNull();
    expect(row.sessionVersion).toBe(2);
    await expect(issueOperatorResetLink(db, "nobody@example.test", "http://localhost:3000")).rejects.toMatchObject({ code: "not_found" });
  });

  it("a reset lifts the sign-in pause that failed guesses put on the email", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) {
      await attemptSignIn(db, { email: user.email, password: "a wrong guess at it" }, address());
    }
    const paused = await attemptSignIn(db, { email: user.email, password: PASSWORD }, address());
    expect(paused).toMatchObject({ ok: false, reason: "rate_limited" });

    const { link } = await issueOperatorResetLink(db, user.email, "http://localhost:3000");
    await resetPasswordWithToken(db, { token: link.split("/").pop()!, password: "the new password here", ip: null });
    const after = await attemptSignIn(db, { email: user.email, password: "the new password here" }, address());
    expect(after).toMatchObject({ ok: true, user: { id: user.id } });
  });
});
