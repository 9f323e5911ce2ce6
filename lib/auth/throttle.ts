/**
 * Sign-in throttling, in the database so every instance shares the counters. An attempt first
 * takes a point from its email's budget and its client address's budget, atomically (one upsert
 * each); only an attempt under both limits goes on to password verification. A refused attempt
 * gives back the point it took from the budget that was not exhausted; a successful sign-in clears
 * the email's failures and gives back the address's point. So parallel attempts cannot all slip
 * past a check-then-record gap: at most `perEmail` passwords are verified per email per window.
 */
import "server-only";
import type { Database } from "@/db/client";
import { rateLimitKeyFor } from "@/lib/client-address/compute";
import { dbLimiter, refundPoint, takeEach } from "@/lib/rate-limits/store";

export const SIGN_IN_LIMITS = {
  /** Attempts verified per email in the window (successes give theirs back). */
  perEmail: 5,
  /** Attempts verified per client address in the window (several people may share an address). */
  perIp: 20,
  windowSeconds: 15 * 60,
};

const emailLimiter = (db: Database) =>
  dbLimiter(db, { keyPrefix: "signin:email", points: SIGN_IN_LIMITS.perEmail, durationSeconds: SIGN_IN_LIMITS.windowSeconds });
const ipLimiter = (db: Database) =>
  dbLimiter(db, { keyPrefix: "signin:ip", points: SIGN_IN_LIMITS.perIp, durationSeconds: SIGN_IN_LIMITS.windowSeconds });

export type SignInAttempt = {
  /** 0 when the attempt may verify the password; else seconds until it may. */
  retryAfter: number;
  /** Call after a successful verification: the email's failures are cleared, the address's point given back. */
  succeeded: () => Promise<void>;
  /** Call when the attempt never reached a verdict (e.g. the server was busy): both points back. */
  abandoned: () => Promise<void>;
};

/** Forgets the email's failed sign-ins: its owner just proved control of it (a password reset). */
export async function clearSignInFailures(db: Database, email: string): Promise<void> {
  await emailLimiter(db).delete(email.trim().toLowerCase());
}

/** Takes one attempt for `email` from `ip` (null: the shared "unknown" bucket). */
export async function takeSignInAttempt(db: Database, email: string, ip: string | null): Promise<SignInAttempt> {
  const ipKey = rateLimitKeyFor(ip);
  const taken = await takeEach(db, [
    { limiter: emailLimiter(db), key: email },
    { limiter: ipLimiter(db), key: ipKey },
  ]);
  return {
    retryAfter: taken.wait,
    succeeded: async () => {
      await Promise.all([emailLimiter(db).delete(email), refundPoint(db, ipLimiter(db), ipKey)]);
    },
    abandoned: taken.giveBack,
  };
}
