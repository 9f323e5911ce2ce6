/**
 * Config fetches are logged without a write per request: each instance counts fetches per token,
 * outcome, minute and client address in memory and adds them to its coalesced row every 10 seconds.
 * Under agent load that is one upsert per token and minute every 10 s rather than every second: the
 * activity page lags by up to 10 s, and the database (with PGlite, this very process) does a tenth
 * of the work. Counts not yet written when the process stops are lost (at most 10 s of them).
 */
import "server-only";
import { preparedQuery } from "@/db/client";
import { createBatcher } from "@/lib/batcher";
import { recordCoalesced, type NewEvent } from "./events";

const CHUNK = 200;
/** How often counted fetches are written (the bench waits this long for them to land). */
export const CONFIG_FETCHES_EVERY_MS = 10_000;

/** A queued count: the first fetch of its key as the route described it; its event is built when it is written. */
type Pending = { key: string; fetch: ConfigFetch; count: number; minute: number };

const fetches = createBatcher<Pending>({
  name: "config fetches",
  everyMs: CONFIG_FETCHES_EVERY_MS,
  maxItems: 10_000,
  key: (item) => item.key,
  write: async (items) => {
    // In statements of at most CHUNK rows: with PGlite each one holds this process's event loop,
    // so a batch of thousands would stall every request in flight at once.
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK).map(({ key, fetch, count }) => ({ key, count, event: eventOf(fetch) }));
      await recordCoalesced(preparedQuery, chunk);
    }
  },
});

export type ConfigFetch = {
  tokenId: string;
  ip: string | null;
  scope: { userId?: string | null; orgId?: string | null };
  outcome: string;
  credentialId?: string | null;
  provider?: string | null;
};

/** The token that fetched, and what it resolved to (absent when it resolved to nothing). */
export type FetchingToken = { id: string; ownerUserId: string | null; ownerOrgId: string | null };
export type FetchResolution = { credentialId: string; provider: string; source: { type: string; id: string } };

/**
 * Token id → its latest count still queued. An agent that keeps calling asks from one address with
 * one outcome all minute long: its next fetch then only adds one to that count, without building a
 * key or looking one up. Emptied once its counts are taken for writing (`fetches.taken` moved on).
 */
const latest = new Map<string, Pending>();
let latestTaken = 0;

const countOneMore = (queued: Pending) => {
  queued.count += 1;
};

/**
 * Counts one config fetch; written with the others of its token, outcome, minute and address
 * within 10 s. `now`: the request's clock reading, when the caller has one.
 */
export function noteConfigFetch(
  token: FetchingToken,
  ip: string | null,
  outcome: string,
  resolved?: FetchResolution,
  now = Date.now(),
): void {
  const minute = Math.floor(now / 60_000);
  if (latestTaken !== fetches.taken) {
    latest.clear();
    latestTaken = fetches.taken;
  }
  const last = latest.get(token.id);
  if (last !== undefined && last.minute === minute && last.fetch.outcome === outcome && last.fetch.ip === ip) {
    last.count += 1;
    return;
  }
  // The address is part of the key: one token used from two places in a minute is two entries.
  const key = `config:${token.id}:${outcome}:${minute}:${ip ?? "-"}`;
  // A key already queued only counts one more (no event to build); add() sees only new keys.
  if (fetches.update(key, countOneMore)) return;
  // Most queued fetches wait seconds, long enough to outlive a young-generation collection: keep
  // them small (with 100,000 agents nearly every fetch is a new key), and build the event at write.
  const pending: Pending = {
    key,
    count: 1,
    minute,
    fetch: {
      tokenId: token.id,
      ip,
      scope: { userId: token.ownerUserId, orgId: token.ownerOrgId ?? (resolved?.source.type === "org" ? resolved.source.id : null) },
      outcome,
      credentialId: resolved?.credentialId,
      provider: resolved?.provider,
    },
  };
  if (fetches.add(pending)) latest.set(token.id, pending);
}

function eventOf(fetch: ConfigFetch): NewEvent {
  return {
    kind: "config.fetched",
    actor: { tokenId: fetch.tokenId, ip: fetch.ip },
    scope: fetch.scope,
    target: fetch.credentialId ? { type: "credential", id: fetch.credentialId } : undefined,
    outcome: fetch.outcome,
    details: { provider: fetch.provider ?? null },
  };
}

/** Writes what was counted so far (also called by tests and at shutdown). */
export async function flushConfigFetches(): Promise<void> {
  await fetches.flush();
}
