/**
 * The invalidation feed on PostgreSQL: one connection of its own that LISTENs on the channel the
 * triggers of db/migrations/0009 notify at commit.
 *
 * - Up (LISTEN confirmed): `onUp`. Lost (the connection closed, or a ping went unanswered):
 *   `onDown` at once, then reconnection with a capped back-off, `onUp` again once listening.
 *   Notifications sent while it was down are lost, so the cache is bypassed meanwhile and starts
 *   empty (./cache.ts `enable`).
 * - `sync()`: a barrier. It notifies a payload of its own on the same channel and waits until it
 *   comes back; PostgreSQL delivers notifications in commit order, so by then every invalidation
 *   committed before the call has been applied (./index.ts calls it after this process wrote, so
 *   its very next agent request sees the write). Unanswered within `syncTimeoutMs`: treated as lost.
 *   Time this process could not run does not count: a garbage-collection pause or a long task
 *   holds up the answer's reading, not the database, and treating that as a loss would flush the
 *   whole cache just when the process is busiest (see `patientTimer`).
 * - A ping (a `sync`) every `pingEveryMs` notices a connection that died silently.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { describeError, log } from "@/lib/log";

export type FeedHandlers = {
  channel: string;
  onPayload: (payload: string) => void;
  onUp: () => void;
  onDown: () => void;
};

export type PostgresFeed = {
  readonly up: boolean;
  sync: () => Promise<void>;
  stop: () => Promise<void>;
};

const RECONNECT_MS = [50, 100, 250, 500, 1000, 2000];

export function startPostgresFeed(
  url: string,
  handlers: FeedHandlers,
  options: { pingEveryMs: number; syncTimeoutMs: number },
): PostgresFeed {
  const { channel } = handlers;
  const instance = randomUUID().slice(0, 8);
  const waiters = new Map<string, () => void>();
  let sql: Sql | undefined;
  let up = false;
  /** When the feed was last lost (for the recovery log line); undefined while up or before the first start. */
  let lostAt: number | undefined;
  let stopped = false;
  let failures = 0;
  let sequence = 0;
  let retry: NodeJS.Timeout | undefined;

  function receive(payload: string) {
    if (payload.startsWith("sync:")) {
      const waiter = waiters.get(payload);
      if (waiter) {
        waiters.delete(payload);
        waiter();
      }
      return; // another instance's barrier: nothing changed
    }
    handlers.onPayload(payload);
  }

  async function connect() {
    retry = undefined;
    if (stopped) return;
    const { default: postgres } = await import("postgres");
    // postgres.js takes `onnotify` (its own listen() uses it) but does not declare it.
    type Options = NonNullable<Parameters<typeof postgres>[1]> & { onnotify: (name: string, payload: string) => void };
    const listenerOptions: Options = {
      max: 1,
      max_lifetime: null,
      connect_timeout: 3,
      backoff: () => 0,
      fetch_types: false,
      connection: { application_name: "byok-invalidation" },
      onnotice: () => {},
      onnotify: (name: string, payload: string) => {
        if (client === sql && name === channel) receive(payload);
      },
      onclose: () => {
        if (client === sql) lost("the connection closed");
      },
    };
    const client: Sql = postgres(url, listenerOptions);
    sql = client;
    try {
      await client.unsafe(`listen ${channel}`);
    } catch (error) {
      if (client === sql) lost(describeError(error));
      return;
    }
    if (client !== sql || stopped) return;
    failures = 0;
    up = true;
    handlers.onUp();
    // The first start is routine; a recovery answers the warning an operator saw when the feed was lost.
    if (lostAt === undefined) log.debug("resolution cache: listening for invalidations");
    else log.info("resolution cache back on: invalidation feed restored (it starts empty)", { downMs: Date.now() - lostAt });
    lostAt = undefined;
  }

  function lost(reason: string) {
    const old = sql;
    sql = undefined;
    if (up) {
      up = false;
      lostAt = Date.now();
      handlers.onDown();
      log.warn("resolution cache bypassed: invalidation feed lost", { reason });
    }
    for (const waiter of waiters.values()) waiter();
    waiters.clear();
    void old?.end({ timeout: 0 }).catch(() => {});
    if (!stopped && !retry) {
      retry = setTimeout(() => void connect(), RECONNECT_MS[Math.min(failures++, RECONNECT_MS.length - 1)]);
      retry.unref();
    }
  }

  async function sync(): Promise<void> {
    const client = sql;
    if (!client || !up) return; // down: the cache is bypassed, there is nothing to wait for
    const payload = `sync:${instance}:${++sequence}`;
    let cancel: (() => void) | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      waiters.set(payload, () => resolve(true));
      cancel = patientTimer(options.syncTimeoutMs, () => resolve(false));
    });
    try {
      await client.unsafe("select pg_notify($1, $2)", [channel, payload]);
      if (!(await arrived) && client === sql) lost(`no notification back within ${options.syncTimeoutMs} ms`);
    } catch (error) {
      if (client === sql) lost(describeError(error));
    } finally {
      cancel?.();
      waiters.delete(payload);
    }
  }

  const ping = setInterval(() => void sync(), options.pingEveryMs);
  ping.unref();
  void connect();

  return {
    get up() {
      return up;
    },
    sync,
    stop: async () => {
      stopped = true;
      clearInterval(ping);
      clearTimeout(retry);
      const old = sql;
      sql = undefined;
      if (up) {
        up = false;
        handlers.onDown();
      }
      await old?.end({ timeout: 0 }).catch(() => {});
    },
  };
}

/** A timer firing this much later than asked means the process itself was held up. */
const LATE_MS = 100;
/** At most this many extensions: a process stalled over and over still gives up at some point. */
const MAX_EXTENSIONS = 5;

/**
 * Calls `expire` once `ms` have passed during which this process could run: a timer that fires
 * more than LATE_MS late (the event loop was blocked: a long GC pause, a long task) starts `ms`
 * again, up to MAX_EXTENSIONS times, so an answer that was waiting in the socket meanwhile is read
 * first. Timers run before I/O in each turn of the event loop, so without this a stall longer than
 * `ms` would expire the wait even when the answer had long arrived. Returns the cancel function.
 */
function patientTimer(ms: number, expire: () => void): () => void {
  let extensions = 0;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const due = Date.now() + ms;
    timer = setTimeout(() => {
      if (Date.now() - due > LATE_MS && extensions++ < MAX_EXTENSIONS) arm();
      else expire();
    }, ms);
  };
  arm();
  return () => clearTimeout(timer);
}
