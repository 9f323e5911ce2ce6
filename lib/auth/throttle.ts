/**
 * Sign-in throttling (rate-limiter-flexible, counters in the database so every instance shares
 * them). Failed attempts are counted per email and per client IP; past the limit, sign-in for that
 * email or IP is refused until the window ends, even with the right password.
 */
import "server-only";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { rateLimits } from "@/db/schema";

export const SIGN_IN_LIMITS = {
  /** Failures allowed per email in the window. */
  perEmail: 5,
  /** Failures allowed per IP in the window (several people may share an address). */
  perIp: 20,
  windowSeconds: 15 * 60,
};

type Limiters = { email: RateLimiterDrizzle; ip: RateLimiterDrizzle };
const cache = new WeakMap<Database, Limiters>();

function limiters(db: Database): Limiters {
  let found = cache.get(db);
  if (!found) {
    const common = { storeClient: db, schema: rateLimits, duration: SIGN_IN_LIMITS.windowSeconds, clearExpiredByTimeout: false };
    found = {
      email: new RateLimiterDrizzle({ ...common, keyPrefix: "signin:email", points: SIGN_IN_LIMITS.perEmail }),
      ip: new RateLimiterDrizzle({ ...common, keyPrefix: "signin:ip", points: SIGN_IN_LIMITS.perIp }),
    };
    cache.set(db, found);
  }
  return found;
}

/** Seconds until sign-in is allowed again for this email or IP; 0 when allowed now. */
export async function signInBlockedFor(db: Database, email: string, ip: string | null): Promise<number> {
  const l = limiters(db);
  const [byEmail, byIp] = await Promise.all([l.email.get(email), ip ? l.ip.get(ip) : null]);
  const waits = [byEmail, byIp]
    .filter((r): r is RateLimiterRes => r !== null && r.consumedPoints >= (r === byEmail ? SIGN_IN_LIMITS.perEmail : SIGN_IN_LIMITS.perIp))
    .map((r) => Math.ceil(r.msBeforeNext / 1000));
  return waits.length ? Math.max(...waits, 1) : 0;
}

/** Counts one failed attempt against the email and the IP. */
export async function recordSignInFailure(db: Database, email: string, ip: string | null): Promise<void> {
  const l = limiters(db);
  const consume = (limiter: RateLimiterDrizzle, key: string) =>
    limiter.consume(key).catch((rejection: unknown) => {
      // Over the limit is the expected rejection; anything else is a real error.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });
  await Promise.all([consume(l.email, email), ip ? consume(l.ip, ip) : undefined]);
}

/** A successful sign-in clears the email's failures (not the IP's). */
export async function clearSignInFailures(db: Database, email: string): Promise<void> {
  await limiters(db).email.delete(email);
}
