/**
 * Forgot password: a reset link by email (1 h, single use, stored hashed). Asking for one gives
 * the same answer, in the same time, whether or not the email has an account: the answer only
 * depends on the per-email and per-address limits (counted for any email typed), and the lookup,
 * the token and the mail all happen after the response, for every email alike. Using the link sets
 * a new password, ends every session (session version + 1), ends the other reset links, and,
 * for a link that came by email, marks the address verified.
 */
import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { inBackground, type Schedule } from "@/lib/background";
import { rateLimitKeyFor } from "@/lib/client-address/compute";
import { AppError } from "@/lib/errors";
import { dbLimiter, describeWait, takeEach } from "@/lib/rate-limits/store";
import { mailOrigin, resetPasswordLink, sendPasswordResetMail } from "./account-mail";
import { consumeEmailToken, expireUnusedTokens, inspectEmailToken, isTokenFor, issueEmailToken } from "./email-tokens";
import { hashPassword } from "./password";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-rules";
import { clearSignInFailures } from "./throttle";
import { findUserByEmail } from "./users";

/** Reset requests per rolling hour: per email typed (known or not), and per client address. */
export const RESET_LIMITS = { perEmail: 3, perIp: 20, windowSeconds: 3600 } as const;

/** The one answer to "Forgot password?", whether or not the email has an account. */
export const RESET_REQUESTED =
  "If an account exists for that email, we sent a link to reset its password. It works for 1 hour; check your spam folder if it does not arrive.";

export const newPasswordSchema = z
  .object({
    password: z
      .string({ error: "Choose a new password." })
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
    confirmPassword: z.string({ error: "Type the new password again." }).min(1, "Type the new password again."),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], error: "The two passwords do not match." });

const limiter = (db: Database, who: "email" | "ip") =>
  dbLimiter(db, {
    keyPrefix: `reset:${who}`,
    points: who === "email" ? RESET_LIMITS.perEmail : RESET_LIMITS.perIp,
    durationSeconds: RESET_LIMITS.windowSeconds,
  });

/**
 * "Forgot password?" for `email` from `ip`. Returns RESET_REQUESTED, or throws rate_limited with a
 * wait rounded to whole minutes (so it says nothing about the email either). The link is looked up,
 * issued and mailed by `schedule`, after the answer.
 */
export async function requestPasswordReset(
  db: Database,
  email: string,
  ip: string | null,
  schedule: Schedule = inBackground("password reset email"),
): Promise<{ message: string }> {
  const normalized = email.trim().toLowerCase();
  const { wait } = await takeEach(db, [
    { limiter: limiter(db, "email"), key: normalized },
    { limiter: limiter(db, "ip"), key: rateLimitKeyFor(ip) },
  ]);
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60) * 60;
    throw new AppError(
      "rate_limited",
      `Too many reset requests for this email or from your network. Try again in ${describeWait(minutes)}.`,
      {
        retryAfter: minutes,
      },
    );
  }
  schedule(() => mailResetLink(db, normalized));
  return { message: RESET_REQUESTED };
}

/** Issues and mails a reset link when `email` has an account; nothing otherwise. */
async function mailResetLink(db: Database, email: string): Promise<void> {
  // Without mail nothing can be sent, and a new token would only end the operator's link.
  if (!mailOrigin()) return;
  const user = await findUserByEmail(db, email);
  if (!user) return;
  const { token } = await issueEmailToken(db, { userId: user.id, email: user.email, purpose: "reset_password" });
  await sendPasswordResetMail(user, token);
}

/** For `npm run user:reset-password`: a link the operator hands over (it does not prove the email). */
export async function issueOperatorResetLink(db: Database, email: string, origin: string): Promise<{ link: string; expiresAt: Date }> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new AppError("not_found", `No account has the email ${email.trim().toLowerCase()}.`);
  const { token, expiresAt } = await issueEmailToken(db, {
    userId: user.id,
    email: user.email,
    purpose: "reset_password",
    channel: "operator",
  });
  return { link: resetPasswordLink(origin.replace(/\/+$/, ""), token), expiresAt };
}

/** Why a reset link does not work, as a refusal a person can act on. */
export async function resetLinkError(db: Executor, token: string): Promise<AppError> {
  const found = await inspectEmailToken(db, token, "reset_password");
  switch (found.state) {
    case "used":
      return new AppError("conflict", "This reset link was already used. Each link works once: ask for a new one if you need it.");
    case "expired":
      return new AppError("conflict", "This reset link has expired. Links work for 1 hour, and only the newest one: ask for a new one.");
    default:
      return new AppError("not_found", "This reset link is not valid. Check that you opened the whole link, or ask for a new one.");
  }
}

/**
 * Sets a new password with a reset link. Throws AppError (not_found, conflict) when the link does
 * not work; two uses of one link racing: exactly one succeeds.
 */
export async function resetPasswordWithToken(
  db: Database,
  input: { token: string; password: string; ip: string | null; now?: Date },
): Promise<{ userId: string; email: string }> {
  const now = input.now ?? new Date();
  // Refuse dead links before spending an argon2 hash on them.
  if (!isTokenFor(input.token, "reset_password")) throw await resetLinkError(db, input.token);
  const found = await inspectEmailToken(db, input.token, "reset_password", now);
  if (found.state !== "valid") throw await resetLinkError(db, input.token);
  const passwordHash = await hashPassword(input.password);
  const done = await db.transaction(async (tx) => {
    const consumed = await consumeEmailToken(tx, input.token, "reset_password", now);
    if (!consumed) return null;
    await tx
      .update(users)
      .set({
        passwordHash,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: now,
        // A link that came by email proves the address; one the operator printed does not.
        ...(consumed.channel === "email"
          ? { emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` }
          : {}),
      })
      .where(eq(users.id, consumed.userId));
    await expireUnusedTokens(tx, consumed.userId, "reset_password", now);
    return consumed;
  });
  if (!done) throw await resetLinkError(db, input.token);
  // Whoever guessed at the password before, the owner may sign in with the new one right away.
  await clearSignInFailures(db, done.email);
  await recordEvent(db, {
    kind: "account.password_reset",
    actor: { userId: done.userId, ip: input.ip },
    scope: { userId: done.userId },
    details: { via: done.channel === "email" ? "email" : "operator" },
  });
  return { userId: done.userId, email: done.email };
}
