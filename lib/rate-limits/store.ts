/**
 * Rate-limit counters in the database (rate-limiter-flexible's RateLimiterDrizzle on the
 * rate_limits table): every instance shares them, and each consume is one atomic upsert, so
 * parallel requests cannot all slip under a limit. Expired rows are purged periodically (./purge.ts).
 */
import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { AppError } from "@/lib/errors";

export type LimitSpec = { keyPrefix: string; points: number; durationSeconds: number };

const limiters = new WeakMap<Database, Map<string, RateLimiterDrizzle>>();

/** The limiter for `spec` on this database, created once. */
export function dbLimiter(db: Database, spec: LimitSpec): RateLimiterDrizzle {
  let byPrefix = limiters.get(db);
  if (!byPrefix) limiters.set(db, (byPrefix = new Map()));
  let limiter = byPrefix.get(spec.keyPrefix);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: spec.keyPrefix,
      points: spec.points,
      duration: spec.durationSeconds,
      // Expired rows are purged by one scheduler (purgeExpiredRateLimits), not a timer per limiter.
      clearExpiredByTimeout: false,
    });
    byPrefix.set(spec.keyPrefix, limiter);
  }
  return limiter;
}

/**
 * Has rate-limiter-flexible load what it needs from drizzle-orm now. It does so on first use, with
 * `import()`, and Node keeps each module's evaluation promise for the life of the process, with the
 * async context it ran in: the first sign-up after a start kept its request, and the password in
 * its form, reachable for good (seen in a heap snapshot). Called once at start-up, outside any request.
 */
export async function preloadLimiterStore(db: Database): Promise<void> {
  await dbLimiter(db, { keyPrefix: "preload", points: 1, durationSeconds: 1 }).get("start-up");
}

/** Seconds to wait when the key is over the limit after this consume, else 0. */
export async function consumePoint(limiter: RateLimiterDrizzle, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

/** Gives one point back to a live counter (never below zero, never creating a row). */
export async function refundPoint(db: Database, limiter: RateLimiterDrizzle, key: string): Promise<void> {
  await db
    .update(rateLimits)
    .set({ points: sql`greatest(${rateLimits.points} - 1, 0)` })
    .where(and(eq(rateLimits.key, limiter.getKey(key)), gt(rateLimits.expire, new Date())));
}

export type Take = { limiter: RateLimiterDrizzle; key: string };

/**
 * Takes one point from each budget, in parallel. When any is exhausted the request is refused,
 * and the points it took from the others are given back at once: a refused request must not use
 * up a budget it shares with other people (an address shared behind a NAT, say). Returns the
 * seconds to wait (0: allowed) and, when allowed, a way to give every point back.
 */
export async function takeEach(db: Database, takes: Take[]): Promise<{ wait: number; waits: number[]; giveBack: () => Promise<void> }> {
  const waits = await Promise.all(takes.map((t) => consumePoint(t.limiter, t.key)));
  const wait = Math.max(0, ...waits);
  const giveBackWhere = (keep: (w: number) => boolean) =>
    Promise.all(takes.map((t, i) => (keep(waits[i]!) ? refundPoint(db, t.limiter, t.key) : undefined)));
  if (wait > 0) {
    await giveBackWhere((w) => w === 0);
    return { wait, waits, giveBack: async () => {} };
  }
  return { wait, waits, giveBack: async () => void (await giveBackWhere(() => true)) };
}

/** "40 seconds", "1 minute", "15 minutes": a wait people can read. */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 90) return `${s} second${s === 1 ? "" : "s"}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? "" : "s"}`;
}

/** AppError("rate_limited") with a message ending in the wait, and the wait as Retry-After. */
export function rateLimited(what: string, seconds: number): AppError {
  return new AppError("rate_limited", `${what} Try again in ${describeWait(seconds)}.`, { retryAfter: seconds });
}
