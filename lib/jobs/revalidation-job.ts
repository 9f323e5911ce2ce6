/**
 * The periodic re-validation: every REVALIDATE_INTERVAL_HOURS, one app instance (whoever takes the
 * "revalidate" lease) re-checks the credentials not checked within the interval, spacing its calls.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { getDb, type Executor } from "@/db/client";
import { runRevalidationPass } from "@/lib/credentials/revalidate";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { releaseLease, renewLease, tryAcquireLease } from "./lease";

const JOB = "revalidate";
const LEASE_TTL_MS = 10 * 60_000;
const RENEW_EVERY_MS = 2 * 60_000;

export type JobOutcome = { ran: false; reason: "busy" | "not_due" } | { ran: true; checked: number; failed: number };

export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Runs one pass if this instance gets the lease and a pass is due (`force` skips the due check
 * and re-checks every credential).
 */
export async function runRevalidationJob(
  db: Executor,
  options: { holder: string; intervalMs: number; spacingMs: number; force?: boolean },
): Promise<JobOutcome> {
  const lease = await tryAcquireLease(db, JOB, options.holder, LEASE_TTL_MS);
  if (!lease) return { ran: false, reason: "busy" };
  const startedAt = new Date();
  if (!options.force && lease.lastRunAt && startedAt.getTime() - lease.lastRunAt.getTime() < options.intervalMs) {
    await releaseLease(db, JOB, options.holder);
    return { ran: false, reason: "not_due" };
  }
  let lost = false;
  const renewal = setInterval(() => {
    renewLease(db, JOB, options.holder, LEASE_TTL_MS)
      .then((kept) => (lost ||= !kept))
      .catch(() => {});
  }, RENEW_EVERY_MS);
  renewal.unref();
  try {
    const result = await runRevalidationPass(db, {
      checkedBefore: options.force ? undefined : new Date(startedAt.getTime() - options.intervalMs),
      spacingMs: options.spacingMs,
      shouldStop: () => lost,
    });
    return { ran: true, ...result };
  } finally {
    clearInterval(renewal);
    await releaseLease(db, JOB, options.holder, startedAt).catch(() => {});
  }
}

let started = false;

/** Starts the background schedule in this server process (no-op when the interval is 0). */
export function startRevalidationScheduler(): void {
  if (started || env.REVALIDATE_INTERVAL_HOURS <= 0) return;
  started = true;
  const holder = instanceId();
  const intervalMs = env.REVALIDATE_INTERVAL_HOURS * 3_600_000;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const outcome = await runRevalidationJob(await getDb(), { holder, intervalMs, spacingMs: env.REVALIDATE_SPACING_MS });
      if (outcome.ran) log.info("re-validation pass done", { checked: outcome.checked, failed: outcome.failed });
    } catch (error) {
      log.warn("re-validation pass could not run", { reason: describeError(error) });
    } finally {
      running = false;
    }
  };
  const tickMs = env.REVALIDATE_TICK_SECONDS * 1000;
  setTimeout(tick, Math.min(60_000, tickMs)).unref();
  setInterval(tick, Math.min(tickMs, intervalMs)).unref();
}
