/**
 * Config fetches are logged without a write per request: each instance counts fetches per token,
 * outcome, minute and client address in memory and adds them to one coalesced row every second.
 */
import "server-only";
import { getDb } from "@/db/client";
import { describeError, log } from "@/lib/log";
import { recordCoalesced, type NewEvent } from "./events";

const FLUSH_EVERY_MS = 1_000;
const pending = new Map<string, { event: NewEvent; count: number }>();
let timer: ReturnType<typeof setInterval> | undefined;

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
  const existing = pending.get(key);
  if (existing) {
    existing.count++;
  } else {
    pending.set(key, {
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
  timer ??= setInterval(() => void flushConfigFetches(), FLUSH_EVERY_MS);
  timer.unref?.();
}

/** Writes what was counted so far (also called by tests and at shutdown). */
export async function flushConfigFetches(): Promise<void> {
  if (pending.size === 0) return;
  const batch = [...pending.entries()];
  pending.clear();
  try {
    const db = await getDb();
    await recordCoalesced(db, batch.map(([key, { event, count }]) => ({ key, event, count })));
  } catch (error) {
    log.warn("could not record config fetches", { reason: describeError(error) });
  }
}
