/**
 * A fixed-window counter in memory, answered synchronously: `points` hits per key per window, the
 * window starting at a key's first hit (rate-limiter-flexible's RateLimiterMemory semantics). It
 * exists because that library's memory limiter answers only through a promise, and the agent
 * config route answers a resolution-cache hit without one (issue 13): every promise there costs
 * Next's AsyncLocalStorage hooks on the hottest path BYOK has. Limits that go through a database
 * or Redis stay on rate-limiter-flexible (lib/rate-limits/store.ts).
 *
 * Memory is bounded: expired windows are swept once a window, and a counter that reaches `maxKeys`
 * sweeps at once; if every window is still open it starts over empty (lenient for at most one
 * window, never wrong for a key it does hold).
 */
export type WindowCounterOptions = { points: number; windowMs: number; maxKeys?: number };

type Window = { count: number; resetAt: number };

export class WindowCounter {
  readonly points: number;
  readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly windows = new Map<string, Window>();
  private sweepAt = 0;

  constructor(options: WindowCounterOptions) {
    this.points = options.points;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Counts one hit for `key`: 0 when it is within the limit, else the ms until its window resets (≥ 1). */
  take(key: string, now = Date.now()): number {
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      if (now >= this.sweepAt || this.windows.size >= this.maxKeys) this.sweep(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > this.points ? Math.max(1, window.resetAt - now) : 0;
  }

  /** `take`, in whole seconds to wait (a Retry-After value): 0 when within the limit. */
  takeSeconds(key: string, now = Date.now()): number {
    return Math.ceil(this.take(key, now) / 1000);
  }

  /** Keys currently counted (tests). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) this.windows.clear();
    this.sweepAt = now + this.windowMs;
  }
}
