/**
 * Verified email addresses. With SMTP configured, a new account is sent a verification link
 * (24 h, single use); until it is used the dashboard says so, "Resend" is limited, and accepting an
 * invitation is refused. Without SMTP (one person on a laptop) nothing can be sent: the first
 * account ever created is trusted as verified, and invitations do not ask for verification.
 */
import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { users } from "@/db/schema";
import { inBackground, type Schedule } from "@/lib/background";
import { AppError } from "@/lib/errors";
import { mailConfigured } from "@/lib/mail";
import { dbLimiter, rateLimited, takeEach } from "@/lib/rate-limits/store";
import { sendVerificationMail } from "./account-mail";
import { consumeEmailToken, inspectEmailToken, issueEmailToken } from "./email-tokens";

/** Accounts must verify their address (before accepting invitations) only when BYOK can send mail. */
export const verificationRequired = (): boolean => mailConfigured();

/** "Resend verification email": per user, once a minute and a few times a day. */
export const RESEND_LIMITS = { perMinute: 1, perDay: 5 } as const;

type Person = { id: string; name: string; email: string };

/**
 * After sign-up: with mail, issue a link and send it in the background (the answer does not wait
 * for the mail server); without mail, trust the account if it is the only one.
 */
export async function startEmailVerification(db: Database, user: Person, schedule: Schedule = inBackground("verification email")) {
  if (!verificationRequired()) {
    await trustFirstAccount(db, user.id);
    return;
  }
  const { token } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "verify_email" });
  schedule(() => sendVerificationMail(user, token));
}

/**
 * Marks the account verified when it is the only one (the first account of an instance without
 * mail: its operator). Two sign-ups racing for "first" cannot both win. True when trusted.
 */
export async function trustFirstAccount(db: Executor, userId: string, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ emailVerifiedAt: now })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt), sql`(select count(*) from ${users}) = 1`))
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Sends a new link to a signed-in user whose address is not verified yet. */
export async function resendVerificationEmail(
  db: Database,
  user: Person & { emailVerifiedAt: Date | null },
): Promise<{ already: boolean }> {
  if (user.emailVerifiedAt) return { already: true };
  if (!verificationRequired()) throw new AppError("invalid_request", "This BYOK instance does not send email.");
  const taken = await takeEach(db, [
    { limiter: dbLimiter(db, { keyPrefix: "verify:resend:minute", points: RESEND_LIMITS.perMinute, durationSeconds: 60 }), key: user.id },
    { limiter: dbLimiter(db, { keyPrefix: "verify:resend:day", points: RESEND_LIMITS.perDay, durationSeconds: 86_400 }), key: user.id },
  ]);
  const [perMinute = 0, perDay = 0] = taken.waits;
  if (perDay > 0) throw rateLimited(`You asked for ${RESEND_LIMITS.perDay} verification emails today, the daily limit.`, perDay);
  if (perMinute > 0) throw rateLimited("A verification email was just sent; you can ask for another once a minute.", perMinute);
  const { token } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "verify_email" });
  if (!(await sendVerificationMail(user, token))) {
    await taken.giveBack();
    throw new AppError("unavailable", "The email could not be sent just now. Try again in a minute.", { retryAfter: 60 });
  }
  return { already: false };
}

/** Why a verification link does not work, as a refusal a person can act on. */
export async function verificationLinkError(db: Executor, token: string): Promise<AppError> {
  const found = await inspectEmailToken(db, token, "verify_email");
  switch (found.state) {
    case "used":
      return new AppError("conflict", "This verification link was already used. Each link works once.");
    case "expired":
      return new AppError("conflict", "This verification link has expired. Links work for 24 hours: sign in and resend one.");
    default:
      return new AppError("not_found", "This verification link is not valid. Sign in and resend one from the dashboard.");
  }
}

/**
 * Uses a verification link: the account is verified if it still has the address the link was sent
 * to. Throws AppError (not_found, conflict) when the link does not work.
 */
export async function verifyEmailWithToken(db: Database, token: string, now = new Date()): Promise<{ userId: string; email: string }> {
  const done = await db.transaction(async (tx) => {
    const consumed = await consumeEmailToken(tx, token, "verify_email", now);
    if (!consumed) return null;
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(users.id, consumed.userId), eq(sql`lower(${users.email})`, consumed.email)));
    return consumed;
  });
  if (!done) throw await verificationLinkError(db, token);
  return { userId: done.userId, email: done.email };
}
