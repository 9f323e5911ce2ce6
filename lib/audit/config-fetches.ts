/**
 * Config fetches are logged without a write per request: each instance counts fetches per token,
 * outcome, minute and client address in memory and adds them to one coalesced row every second.
 */
import "server-only";
import { getDb } from "@/db/client";
import { createBatcher } from "@/lib/batcher";
import { recordCoalesced, type NewEvent } from "./events";

type Pending = { key: string; event: NewEvent; count: number };

const fetches = createBatcher<Pending>({
  name: "config fetches",
  everyMs: 1_000,
  maxItems: 10_000,
  key: (item) => item.key,
  merge: (queued, next) => ({ ...queued, count: queued.count + next.count }),
  write: async (items) => {
    const db = await getDb();
    await recordCoalesced(db, items);
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

export function noteConfigFetch(fetch: ConfigFetch): void {
  const minute = Math.floor(Date.now() / 60_000);
  // The address is part of the key: one token used from two places in a minute is two entries.
  const key = `config:${fetch.tokenId}:${fetch.outcome}:${minute}:${fetch.ip ?? "-"}`;
  fetches.add({
    key,
    count: 1,
    event: {
      kind: "config.fetched",
      actor: { tokenId: fetch.tokenId, ip: fetch.ip },
      scope: fetch.scope,
      target: fetch.credentialId ? { type: "credential", id: fetch.credentialId } : undefined,
      outcome: fetch.outcome,
      details: { provider: fetch.provider ?? null },
    },
  });
}

/** Writes what was counted so far (also called by tests and at shutdown). */
export async function flushConfigFetches(): Promise<void> {
  await fetches.flush();
}
