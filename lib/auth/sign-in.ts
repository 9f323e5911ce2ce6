/**
 * One sign-in attempt: throttle first (atomically), then verify, then settle the counters. Auth.js's
 * `authorize` calls this; the verifier is a parameter so tests can count verifications.
 */
import "server-only";
import type { Database, Executor } from "@/db/client";
import { takeSignInAttempt } from "./throttle";
import type { SignInInput } from "./schemas";
import { verifyCredentials, type PublicUser } from "./users";

export type Verifier = (db: Executor, input: SignInInput) => Promise<PublicUser | null>;

export type SignInOutcome =
  { ok: true; user: PublicUser } | { ok: false; reason: "invalid_credentials" } | { ok: false; reason: "rate_limited"; retryAfter: number };

export async function attemptSignIn(
  db: Database,
  input: SignInInput,
  ip: string | null,
  verify: Verifier = verifyCredentials,
): Promise<SignInOutcome> {
  const attempt = await takeSignInAttempt(db, input.email, ip);
  if (attempt.retryAfter > 0) return { ok: false, reason: "rate_limited", retryAfter: attempt.retryAfter };
  let user: PublicUser | null;
  try {
    user = await verify(db, input);
  } catch (error) {
    await attempt.abandoned().catch(() => {});
    throw error;
  }
  if (!user) return { ok: false, reason: "invalid_credentials" };
  await attempt.succeeded();
  return { ok: true, user };
}
