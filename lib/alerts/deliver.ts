/**
 * The webhook delivery worker. A pass claims due pending deliveries with one statement
 * (`FOR UPDATE SKIP LOCKED`, pushing their next_attempt_at out by a claim lease), so any number of
 * workers and app instances deliver each row once; it POSTs each payload through the guarded fetch,
 * signed, and records the outcome: 2xx → delivered; anything else → retried with backoff
 * base × [1, 4, 20, 60, 120, 240] (±10 %), until the delivery is 24 h old → failed. Finished
 * deliveries are kept 30 days.
 */
import "server-only";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { webhookDeliveries, webhooks } from "@/db/schema";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { guardedFetch } from "@/lib/net/guarded-fetch";
import { signWebhook } from "./signature";
import { openWebhookSecret } from "./webhooks";

export const BACKOFF_STEPS = [1, 4, 20, 60, 120, 240] as const;
export const MAX_AGE_MS = 24 * 3_600_000;
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A claimed row is not due again for this long (a worker that died mid-send is retried after it). */
const CLAIM_LEASE_MS = 2 * 60_000;

export type DeliveryOptions = {
  /** Backoff base in ms (default ALERTS_RETRY_BASE_MS). */
  retryBaseMs?: number;
  /** Most rows a pass claims (default 20). */
  batchSize?: number;
  /** Only this delivery (Send test event). */
  deliveryId?: string;
};

export type PassResult = { delivered: number; retrying: number; failed: number };

/** The delay before attempt `attempts + 1`, given `attempts` failed ones (≥ 1), with ±10 % jitter. */
export function backoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const step = BACKOFF_STEPS[Math.min(Math.max(attempts, 1), BACKOFF_STEPS.length) - 1]!;
  return Math.round(baseMs * step * (0.9 + 0.2 * random()));
}

type Claimed = { id: string; webhookId: string; event: string; payload: unknown; attempts: number; createdAt: Date };

async function claim(db: Database, options: DeliveryOptions): Promise<Claimed[]> {
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        lte(webhookDeliveries.nextAttemptAt, sql`now()`),
        options.deliveryId ? eq(webhookDeliveries.id, options.deliveryId) : undefined,
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(options.batchSize ?? 20)
    .for("update", { skipLocked: true });
  return db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now() + ${CLAIM_LEASE_MS} * interval '1 millisecond'` })
    .where(inArray(webhookDeliveries.id, due))
    .returning({
      id: webhookDeliveries.id,
      webhookId: webhookDeliveries.webhookId,
      event: webhookDeliveries.event,
      payload: webhookDeliveries.payload,
      attempts: webhookDeliveries.attempts,
      createdAt: webhookDeliveries.createdAt,
    });
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function send(db: Database, row: Claimed): Promise<Outcome> {
  const [hook] = await db.select().from(webhooks).where(eq(webhooks.id, row.webhookId)).limit(1);
  if (!hook) return { ok: false, status: null, error: "the webhook was removed" };
  let secret: string;
  try {
    secret = openWebhookSecret(hook);
  } catch (error) {
    return { ok: false, status: null, error: `the signing secret cannot be decrypted: ${describeError(error)}` };
  }
  const body = JSON.stringify(row.payload);
  try {
    const response = await guardedFetch(hook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-byok-event": row.event,
        "x-byok-delivery": row.id,
        "x-byok-signature": signWebhook(secret, body),
      },
      body,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      maxBytes: 4096,
    });
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    // OutboundError messages name the host and the reason (refused address, timeout …), never a secret.
    return { ok: false, status: null, error: error instanceof Error ? error.message.slice(0, 300) : "network error" };
  }
}

async function record(db: Database, row: Claimed, outcome: Outcome, baseMs: number): Promise<keyof PassResult> {
  const attempts = row.attempts + 1;
  if (outcome.ok) {
    await db
      .update(webhookDeliveries)
      .set({ status: "delivered", attempts, lastStatusCode: outcome.status, lastError: null, deliveredAt: new Date() })
      .where(eq(webhookDeliveries.id, row.id));
    return "delivered";
  }
  const delay = backoffMs(attempts, baseMs);
  const giveUp = Date.now() + delay - row.createdAt.getTime() > MAX_AGE_MS;
  await db
    .update(webhookDeliveries)
    .set({
      status: giveUp ? "failed" : "pending",
      attempts,
      lastStatusCode: outcome.status,
      lastError: outcome.error,
      nextAttemptAt: sql`now() + ${delay} * interval '1 millisecond'`,
    })
    .where(eq(webhookDeliveries.id, row.id));
  return giveUp ? "failed" : "retrying";
}

/**
 * One pass: fails pending deliveries older than 24 h, then claims and sends the due ones
 * (concurrently within the batch). Returns what happened.
 */
export async function deliverDue(db: Database, options: DeliveryOptions = {}): Promise<PassResult> {
  const result: PassResult = { delivered: 0, retrying: 0, failed: 0 };
  const expired = await db
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: sql`coalesce(${webhookDeliveries.lastError}, 'not delivered') || ' (gave up after 24 h)'` })
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        lte(webhookDeliveries.createdAt, sql`now() - ${MAX_AGE_MS} * interval '1 millisecond'`),
        lte(webhookDeliveries.nextAttemptAt, sql`now()`),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  result.failed += expired.length;
  const baseMs = options.retryBaseMs ?? env.ALERTS_RETRY_BASE_MS;
  const claimed = await claim(db, options);
  const outcomes = await Promise.all(claimed.map(async (row) => record(db, row, await send(db, row), baseMs)));
  for (const outcome of outcomes) result[outcome]++;
  return result;
}

/** Days a finished (delivered or failed) delivery stays in the log. */
export const KEEP_DAYS = 30;

/** Deletes finished deliveries older than KEEP_DAYS; returns how many. */
export async function purgeOldDeliveries(db: Database): Promise<number> {
  const rows = await db
    .delete(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.status, ["delivered", "failed"]),
        lte(webhookDeliveries.createdAt, sql`now() - ${KEEP_DAYS} * interval '1 day'`),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}

/** The worker's state, on globalThis so a dev reload does not start a second timer. */
type WorkerState = { timer: NodeJS.Timeout | null; running: boolean; again: boolean; purgedAt: number };
const KEY = Symbol.for("byok.alerts.worker");
const state = () => (globalThis as unknown as Record<symbol, WorkerState | undefined>)[KEY];

async function tick(): Promise<void> {
  const worker = state();
  if (!worker) return;
  if (worker.running) {
    worker.again = true;
    return;
  }
  worker.running = true;
  try {
    do {
      worker.again = false;
      const result = await deliverDue(await getDb());
      if (result.delivered + result.retrying + result.failed > 0) log.info("webhook deliveries", result);
    } while (worker.again);
    if (Date.now() - worker.purgedAt > 3_600_000) {
      worker.purgedAt = Date.now();
      await purgeOldDeliveries(await getDb());
    }
  } catch (error) {
    log.warn("webhook delivery pass failed", { reason: describeError(error) });
  } finally {
    worker.running = false;
  }
}

/** Starts polling every ALERTS_POLL_SECONDS in this server process (once; unref'd). */
export function startDeliveryWorker(): void {
  const holder = globalThis as unknown as Record<symbol, WorkerState | undefined>;
  if (holder[KEY] || env.ALERTS_POLL_SECONDS <= 0) return;
  const worker: WorkerState = { timer: null, running: false, again: false, purgedAt: 0 };
  holder[KEY] = worker;
  worker.timer = setInterval(() => void tick(), env.ALERTS_POLL_SECONDS * 1000);
  worker.timer.unref();
}

/** Runs a pass soon, when the worker runs in this process (no-op elsewhere: scripts, tests). */
export function kickDeliveries(): void {
  if (state()) setImmediate(() => void tick());
}
