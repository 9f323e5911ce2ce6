/**
 * A circuit breaker for PostgreSQL: answer at once while the database is unreachable instead of
 * queueing for a connection. A connection-class failure opens it; one background probe at a time
 * (`select 1` on a fresh connection with a short timeout), the first at once and then every
 * PROBE_EVERY_MS, closes it as soon as the database answers.
 */
import "server-only";
import { AppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";

const PROBE_EVERY_MS = 250;
/** Retry-After (seconds) while the breaker is open: the probe closes it within a fraction of that. */
export const UNAVAILABLE_RETRY_AFTER = 1;

/** Node socket errors, postgres.js connection errors and SQLSTATEs that mean "no usable connection". */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown (also pg_terminate_backend)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
]);

/** True for a failure to reach the database (as opposed to an error in a query it answered). */
export function isConnectionFailure(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (current instanceof AggregateError && current.errors.some(isConnectionFailure)) return true;
    current = (current as { cause?: unknown }).cause; // drizzle wraps driver errors
  }
  return false;
}

/** The answer while the database is unreachable: a safe message, no stack, retry soon. */
export function unavailableError(): AppError {
  return new AppError("unavailable", "The database is unreachable. Retry shortly.", { retryAfter: UNAVAILABLE_RETRY_AFTER, logged: true });
}

export type BreakerHooks = {
  /** Resolves when the database answers; rejects (or times out) when it does not. */
  probe: () => Promise<void>;
  /** The outage is confirmed (the first probe after opening failed): drop what waits on the old connections. */
  onOutage: () => void;
  target: () => string;
};

export class CircuitBreaker {
  /** Read on every query: while true, nothing is sent to the database. */
  open = false;
  private openedAt = 0;
  private probing = false;
  private confirmed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly hooks: BreakerHooks) {}

  /** Opens the breaker after a connection-class failure (logged once per outage) and probes at once. */
  trip(reason: unknown): void {
    if (this.open) return;
    this.open = true;
    this.openedAt = Date.now();
    this.confirmed = false;
    log.error(`database unreachable: ${this.hooks.target()}`, { reason: describeError(reason) });
    this.schedule(0);
  }

  /** Stops probing (the pool is closing). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runProbe(), delayMs);
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    if (!this.open || this.probing) return;
    this.probing = true;
    try {
      await this.hooks.probe();
      this.open = false;
      log.info("database reachable again", { target: this.hooks.target(), downMs: Date.now() - this.openedAt });
    } catch {
      if (!this.confirmed) {
        this.confirmed = true;
        this.hooks.onOutage();
      }
      this.schedule(PROBE_EVERY_MS);
    } finally {
      this.probing = false;
    }
  }
}
