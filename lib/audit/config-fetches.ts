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

/** A queued count: the fetch as the route described it; its event is built when it is written. */
type Pending = { key: string; fetch: ConfigFetch; count: number };

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

const countOneMore = (queued: Pending) => {
  queued.count += 1;
};

export function noteConfigFetch(fetch: ConfigFetch): void {
  const minute = Math.floor(Date.now() / 60_000);
  // The address is part of the key: one token used from two places in a minute is two entries.
  const key = `config:${fetch.tokenId}:${fetch.outcome}:${minute}:${fetch.ip ?? "-"}`;
  // A key already queued only counts one more (no event to build); add() sees only new keys.
  if (fetches.update(key, countOneMore)) return;
  // Most queued fetches wait seconds, long enough to outlive a young-generation collection: keep
  // them small (with 100,000 agents nearly every fetch is a new key), and build the event at write.
  fetches.add({ key, count: 1, fetch });
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
