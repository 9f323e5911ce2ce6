/**
 * Collects items in memory and writes them in one call every `everyMs`: no write per request.
 * Items with the same key are merged (a count, a latest timestamp). The queue is bounded: past
 * `maxItems` distinct keys new items are dropped (and counted) rather than growing without end
 * while the database is slow. `flush()` writes now (tests, shutdown); one write runs at a time.
 */
import "server-only";
import { describeError, log } from "@/lib/log";
import { outsideRequests } from "@/lib/outside-requests";

export type BatcherOptions<T> = {
  /** Name for log lines. */
  name: string;
  /** Writes one batch. A rejection is logged and the batch dropped (never retried into a loop). */
  write: (items: T[]) => Promise<void>;
  everyMs: number;
  maxItems: number;
  /** Items with equal keys are merged; without a key every item is its own. */
  key?: (item: T) => string;
  /** Combines a queued item with a new one of the same key (default: keep the queued one). */
  merge?: (queued: T, next: T) => T;
};

export type Batcher<T> = {
  /** Queues an item; false when the queue was full and the item was dropped. */
  add: (item: T) => boolean;
  /** When an item with this key is queued, changes it in place and returns true (the hot path: no new item to build). */
  update: (key: string, change: (queued: T) => void) => boolean;
  /** Writes everything queued so far (after any write in progress). */
  flush: () => Promise<void>;
  /** Items waiting. */
  readonly size: number;
  /**
   * How many batches were taken for writing so far. An item added while it had one value is still
   * queued (and `update` would find it) for as long as it keeps that value.
   */
  readonly taken: number;
};

export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  let queue = new Map<string, T>();
  let counter = 0;
  let dropped = 0;
  let taken = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  const writeBatch = async () => {
    timer = undefined;
    if (queue.size === 0) return;
    const items = [...queue.values()];
    queue = new Map();
    taken++;
    if (dropped > 0) {
      log.warn(`${options.name}: queue full, dropped items`, { dropped });
      dropped = 0;
    }
    try {
      await options.write(items);
    } catch (error) {
      log.warn(`${options.name}: could not write a batch`, { items: items.length, reason: describeError(error) });
    }
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(writeBatch);
    return writing;
  };

  return {
    add(item) {
      const key = options.key ? options.key(item) : String(counter++);
      const queued = queue.get(key);
      if (queued !== undefined) {
        queue.set(key, options.merge ? options.merge(queued, item) : queued);
      } else if (queue.size >= options.maxItems) {
        dropped++;
        return false;
      } else {
        queue.set(key, item);
      }
      if (!timer) {
        // Outside the request that happened to add the first item: the timer would otherwise keep
        // that request's context alive until it fires, and write the batch as part of it.
        timer = outsideRequests(() => setTimeout(() => void flush(), options.everyMs));
        timer.unref?.();
      }
      return true;
    },
    update(key, change) {
      const queued = queue.get(key);
      if (queued === undefined) return false;
      change(queued);
      return true;
    },
    flush,
    get size() {
      return queue.size;
    },
    get taken() {
      return taken;
    },
  };
}
