/**
 * Limits on actions that cost real work: a provider check (Save, Re-validate, model suggestions:
 * up to ≈ 6 outbound calls each, to a host the user chooses) and creating an account (an argon2
 * hash). Counted in the database per user and per client address, shared by every instance.
 * (Invitations have their own daily limits, in lib/orgs/invitations.ts.)
 */
import "server-only";
import type { Database } from "@/db/client";
import { rateLimitKeyFor } from "@/lib/client-address/compute";
import { dbLimiter, rateLimited, takeEach } from "./store";

export const EXPENSIVE_LIMITS = {
  /** Per user per minute, for each kind of provider check. */
  perUser: { save: 20, revalidate: 20, suggest: 30 },
  /** Provider checks of every kind per client address per minute (many users may share it). */
  perIp: 120,
  windowSeconds: 60,
  /** Accounts created per client address per hour. */
  signUpsPerIp: 20,
  signUpWindowSeconds: 60 * 60,
};

export type ProviderCheck = keyof typeof EXPENSIVE_LIMITS.perUser;

const NOUN: Record<ProviderCheck, string> = {
  save: "saves",
  revalidate: "re-validations",
  suggest: "model list requests",
};

/**
 * Takes one provider check for this user and address. Throws AppError("rate_limited") with a
 * message and Retry-After seconds when either is over its limit (the other keeps its point).
 */
export async function limitProviderCheck(db: Database, check: ProviderCheck, who: { userId: string; ip: string | null }): Promise<void> {
  const { windowSeconds } = EXPENSIVE_LIMITS;
  const { waits } = await takeEach(db, [
    {
      limiter: dbLimiter(db, { keyPrefix: `check:${check}:user`, points: EXPENSIVE_LIMITS.perUser[check], durationSeconds: windowSeconds }),
      key: who.userId,
    },
    {
      limiter: dbLimiter(db, { keyPrefix: "check:ip", points: EXPENSIVE_LIMITS.perIp, durationSeconds: windowSeconds }),
      key: rateLimitKeyFor(who.ip),
    },
  ]);
  const [byUser = 0, byIp = 0] = waits;
  if (byUser > 0) throw rateLimited(`Too many ${NOUN[check]} from your account.`, byUser);
  if (byIp > 0) throw rateLimited("Too many provider checks from your network.", byIp);
}

/** Takes one sign-up for this address; AppError("rate_limited") past the hourly limit. */
export async function limitSignUp(db: Database, ip: string | null): Promise<void> {
  const limiter = dbLimiter(db, {
    keyPrefix: "signup:ip",
    points: EXPENSIVE_LIMITS.signUpsPerIp,
    durationSeconds: EXPENSIVE_LIMITS.signUpWindowSeconds,
  });
  const { wait } = await takeEach(db, [{ limiter, key: rateLimitKeyFor(ip) }]);
  if (wait > 0) throw rateLimited("Too many accounts created from your network.", wait);
}
