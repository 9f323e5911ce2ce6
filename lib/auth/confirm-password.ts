/**
 * "Type your password to continue", for a signed-in user (change password, delete account). It
 * goes through the same throttle as sign-in (lib/auth/sign-in.ts, counted per email and client
 * address, shared with /login), so a stolen session cannot be used to guess the password.
 */
import "server-only";
import type { Database } from "@/db/client";
import { AppError } from "@/lib/errors";
import { describeWait } from "@/lib/rate-limits/store";
import { attemptSignIn } from "./sign-in";

/** Throws AppError: rate_limited (too many wrong passwords), invalid_request on `field` (wrong password). */
export async function confirmPassword(db: Database, email: string, password: string, ip: string | null, field: string): Promise<void> {
  const outcome = await attemptSignIn(db, { email, password }, ip);
  if (outcome.ok) return;
  if (outcome.reason === "rate_limited") {
    throw new AppError("rate_limited", `Too many wrong passwords. For your security, try again in ${describeWait(outcome.retryAfter)}.`, {
      retryAfter: outcome.retryAfter,
    });
  }
  throw new AppError("invalid_request", "That password is not correct.", { fieldErrors: { [field]: "That password is not correct." } });
}
