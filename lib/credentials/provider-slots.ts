/**
 * The per-instance cap on outbound provider checks (Save, Re-validate, model suggestions, the
 * background pass). Each check makes up to ≈ 6 requests with up to 1 MiB bodies and may last the
 * whole validation timeout, so a burst waits for a slot briefly and then gets "BYOK is busy".
 */
import "server-only";
import { processSemaphore } from "@/lib/concurrency";

export const PROVIDER_CHECK_SLOTS = {
  concurrent: 8,
  /** Interactive checks (a person waiting on a card). */
  maxWaitMs: 10_000,
  maxQueue: 100,
  /** The background pass yields to people: it waits as long as it takes, up to this. */
  backgroundWaitMs: 5 * 60_000,
};

const slots = processSemaphore("provider-checks", {
  max: PROVIDER_CHECK_SLOTS.concurrent,
  maxWaitMs: PROVIDER_CHECK_SLOTS.maxWaitMs,
  maxQueue: PROVIDER_CHECK_SLOTS.maxQueue,
});

/** Runs one provider check (all its outbound calls) in a slot. Throws AppError("unavailable") when busy. */
export function withProviderSlot<T>(task: () => Promise<T>, options: { background?: boolean } = {}): Promise<T> {
  return slots.run(task, options.background ? PROVIDER_CHECK_SLOTS.backgroundWaitMs : undefined);
}

/** Slots in use and waiters now (tests, logs). */
export const providerSlotLoad = () => slots.load;
