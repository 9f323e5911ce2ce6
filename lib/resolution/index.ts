/**
 * The per-instance resolution cache, shared by `GET /api/v1/config` and both gateways: pass
 * `resolutionQuery` where a resolution function takes a PreparedQuery. Coherence:
 *
 * - every write that can change an answer is announced by a trigger at commit (db/migrations/0009);
 * - PGlite (one process): the announcement reaches the cache before the writing query resolves;
 * - PostgreSQL: one LISTEN connection per instance (./feed.ts). While it is down the cache is
 *   bypassed; it restarts empty. After a write of this process, the next resolution waits for the
 *   feed to catch up, so this instance's next request sees it; other instances see it within the
 *   notification delay (measured: `npm run bench -- --coherence`).
 * - Expiry is checked on every hit by the resolution functions themselves (rows carry expires_at).
 */
import "server-only";
import { listenEmbedded, preparedQuery, type PreparedQuery } from "@/db/client";
import { localWrites } from "@/db/local-writes";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { ResolutionCache } from "./cache";
import { startPostgresFeed, type PostgresFeed } from "./feed";

export const RESOLUTION_CHANNEL = "byok_resolution";
const SYNC_TIMEOUT_MS = 1_000;

type State = {
  cache: ResolutionCache;
  started?: Promise<void>;
  feed?: PostgresFeed;
  /** The local write epoch (db/local-writes.ts) the feed has caught up to, and the catch-up under way. */
  settled: number;
  catchingUp?: Promise<void>;
};

// One per process, whichever bundle imports this module (route handlers and server actions).
const holder = globalThis as typeof globalThis & { __byokResolution?: State };

function state(): State {
  return (holder.__byokResolution ??= {
    cache: new ResolutionCache({
      size: Math.max(1, env.RESOLUTION_CACHE_SIZE),
      unknownSize: Math.max(1, env.RESOLUTION_CACHE_UNKNOWN_SIZE),
      unknownTtlMs: env.RESOLUTION_CACHE_UNKNOWN_TTL_SECONDS * 1000,
    }),
    settled: 0,
  });
}

function start(s: State): Promise<void> {
  return (s.started ??= (async () => {
    if (env.RESOLUTION_CACHE_SIZE === 0) return;
    const apply = (payload: string) => s.cache.invalidate(payload);
    if (await listenEmbedded(RESOLUTION_CHANNEL, apply)) {
      s.cache.enable();
      return;
    }
    s.feed = startPostgresFeed(
      env.DATABASE_URL!,
      { channel: RESOLUTION_CHANNEL, onPayload: apply, onUp: () => s.cache.enable(), onDown: () => s.cache.disable() },
      { pingEveryMs: env.RESOLUTION_FEED_PING_MS, syncTimeoutMs: SYNC_TIMEOUT_MS },
    );
  })().catch((error: unknown) => {
    s.started = undefined; // the database was not reachable yet: the next request tries again
    log.warn("resolution cache not started", { reason: describeError(error) });
  }));
}

/**
 * A PreparedQuery for the resolution queries (token hash first), answered from the cache when it
 * can. On PostgreSQL, after this process wrote anything through drizzle (db/local-writes.ts), the
 * next call first waits for the feed to catch up (one notification round trip, shared by
 * concurrent callers): a write this instance made is seen by its very next agent request.
 */
export const resolutionQuery: PreparedQuery = Object.assign(
  (text: string, params: unknown[]) => {
    const s = state();
    if (!s.started) void start(s);
    if (s.feed && s.settled !== localWrites.epoch) return caughtUp(s).then(() => s.cache.query(text, params, preparedQuery));
    return s.cache.query(text, params, preparedQuery);
  },
  {
    /** A hit, synchronously; undefined on a miss, while caching is off, or while a local write awaits the feed. */
    peek: (text: string, params: unknown[]) => {
      const s = state();
      if (!s.started) void start(s);
      if (s.feed && s.settled !== localWrites.epoch) return undefined;
      return s.cache.peek(text, params);
    },
  },
);

/** Resolves once the feed has delivered every invalidation committed before this process's latest write. */
async function caughtUp(s: State): Promise<void> {
  while (s.settled < localWrites.epoch) {
    if (!s.catchingUp) {
      const target = localWrites.epoch;
      s.catchingUp = s.feed!.sync().then(() => {
        s.settled = Math.max(s.settled, target);
        s.catchingUp = undefined;
      });
    }
    await s.catchingUp;
  }
}

/** Starts the cache and its feed now, and resolves once caching is on (or after `timeoutMs`). For start-up, tests and the bench. */
export async function startResolutionCache(timeoutMs = 5_000): Promise<boolean> {
  const s = state();
  await start(s);
  const until = Date.now() + timeoutMs;
  while (!s.cache.enabled && Date.now() < until && env.RESOLUTION_CACHE_SIZE > 0) await new Promise((r) => setTimeout(r, 10));
  return s.cache.enabled;
}

/** The cache's state, for tests and the bench. */
export function resolutionCacheState() {
  const s = state();
  return { enabled: s.cache.enabled, size: s.cache.size, feedUp: s.feed?.up ?? null, stats: { ...s.cache.stats } };
}

/** Every row the cache holds (tests: no plaintext key among them). */
export function cachedResolutionRows(): Record<string, unknown>[] {
  return state().cache.rows();
}

/** Stops the feed and forgets everything (tests). */
export async function stopResolutionCache(): Promise<void> {
  const s = holder.__byokResolution;
  holder.__byokResolution = undefined;
  if (!s) return;
  await s.started;
  await s.feed?.stop();
  s.cache.disable();
}
