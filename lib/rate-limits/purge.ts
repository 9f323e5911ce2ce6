/**
 * Rate-limit rows outlive their window (a consume after expiry resets the row, nothing deletes
 * it), so one row per email, address and user ever seen would pile up. Every instance deletes
 * expired rows every few minutes; the delete is idempotent, so instances need no coordination.
 */
import "server-only";
import { inArray, lt } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { describeError, log } from "@/lib/log";

const PURGE_BATCH = 5_000;
export const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Deletes counters whose window has ended, in batches so no statement holds many row locks.
 * Rows without an expiry (none today) are kept. Returns how many were deleted.
 */
export async function purgeExpiredRateLimits(db: Database, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db.select({ key: rateLimits.key }).from(rateLimits).where(lt(rateLimits.expire, now)).limit(PURGE_BATCH);
    const deleted = await db.delete(rateLimits).where(inArray(rateLimits.key, batch)).returning({ key: rateLimits.key });
    total += deleted.length;
    if (deleted.length < PURGE_BATCH) return total;
  }
}

let started = false;

/** Starts the periodic purge in this server process (once). */
export function startRateLimitPurge(): void {
  if (started) return;
  started = true;
  const tick = async () => {
    try {
      const deleted = await purgeExpiredRateLimits(await getDb());
      if (deleted > 0) log.debug("expired rate-limit rows purged", { deleted });
    } catch (error) {
      log.warn("rate-limit purge could not run", { reason: describeError(error) });
    }
  };
  setTimeout(tick, 60_000).unref();
  setInterval(tick, PURGE_EVERY_MS).unref();
}
