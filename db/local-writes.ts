/**
 * Writes this process committed through drizzle (PostgreSQL): a counter the resolution cache
 * compares with what its invalidation feed has caught up to (lib/resolution/index.ts), so that the
 * next agent request on this instance sees the write. The agent hot path's own statements (usage,
 * last-used, budget counters) go through `preparedQuery` and are not counted: they change no answer.
 */
type Counter = { epoch: number };

const holder = globalThis as typeof globalThis & { __byokLocalWrites?: Counter };

export const localWrites: Counter = (holder.__byokLocalWrites ??= { epoch: 0 });

/** Called when a write (a transaction, or a statement that is not a plain SELECT) has completed. */
export function noteLocalWrite(): void {
  localWrites.epoch++;
}

/** Whether a statement's text may write (anything but a plain SELECT). */
export const mayWrite = (text: unknown): boolean => typeof text !== "string" || !/^\s*select\b/i.test(text);
