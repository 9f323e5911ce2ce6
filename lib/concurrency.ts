/**
 * Per-instance caps on expensive work (argon2 hashes, outbound provider checks): a counting
 * semaphore whose waiters give up after a bounded time, so a burst queues briefly and then gets a
 * clear "busy" answer instead of piling up memory and latency.
 */
import { AppError } from "@/lib/errors";

export const BUSY_MESSAGE = "BYOK is busy, try again in a few seconds.";

export type SemaphoreOptions = {
  /** Tasks running at once. */
  max: number;
  /** Longest a task waits for a slot before failing with 503 unavailable. */
  maxWaitMs: number;
  /** Waiters beyond this are refused at once (bounds memory under a flood). */
  maxQueue: number;
  /** Seconds suggested to the caller (Retry-After) when refused. */
  retryAfterSeconds?: number;
};

type Waiter = { grant: () => void; timer?: NodeJS.Timeout };

export class Semaphore {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly options: SemaphoreOptions) {}

  /** Tasks running and waiting now (for tests and logs). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length };
  }

  /**
   * Runs `task` when a slot is free. Throws AppError("unavailable") with a Retry-After when no
   * slot frees up within the wait (`maxWaitMs` overrides the default, e.g. for background work).
   */
  async run<T>(task: () => Promise<T>, maxWaitMs = this.options.maxWaitMs): Promise<T> {
    await this.acquire(maxWaitMs);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private busy(): AppError {
    return new AppError("unavailable", BUSY_MESSAGE, { retryAfter: this.options.retryAfterSeconds ?? 5 });
  }

  private acquire(maxWaitMs: number): Promise<void> {
    if (this.running < this.options.max) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.options.maxQueue || maxWaitMs <= 0) return Promise.reject(this.busy());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve };
      if (Number.isFinite(maxWaitMs)) {
        waiter.timer = setTimeout(() => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(this.busy());
        }, maxWaitMs);
        waiter.timer.unref?.();
      }
      this.queue.push(waiter);
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (!next) {
      this.running--;
      return;
    }
    // The slot passes straight to the next waiter: `running` stays the same.
    clearTimeout(next.timer);
    next.grant();
  }
}

/**
 * The semaphore named `name`, one per process: kept on globalThis because Next loads the
 * instrumentation bundle and each route's bundle as separate module graphs, and a cap per
 * module copy would not be a cap per instance.
 */
export function processSemaphore(name: string, options: SemaphoreOptions): Semaphore {
  const holder = globalThis as typeof globalThis & Record<symbol, Semaphore | undefined>;
  const key = Symbol.for(`byok.semaphore.${name}`);
  return (holder[key] ??= new Semaphore(options));
}
