/**
 * The resolution cache: an agent token's hash → the rows the resolution queries returned for it
 * (token state, credential rows with their *ciphertext*, profile entries). Callers decrypt per
 * request, so the cache, like a heap dump of it, holds no key. Pure data structure: what feeds it
 * invalidations is ./feed.ts, what wires it to the database is ./index.ts.
 *
 * - Bounded: an LRU of `size` tokens; unknown tokens (no row at all) in a separate LRU with a
 *   short TTL, so a flood of made-up tokens costs one query each and cannot push out real entries.
 * - Invalidation by what changed: a token (`t:<hash>`), a credential (`c:<id>`, every answer
 *   holding it), a user (`u:<id>`, their personal tokens), or everything (`*`).
 * - A fill that was in flight when any invalidation arrived is answered but not kept (it may have
 *   read the old state); concurrent misses on one key share one query.
 * - `enabled` false (the invalidation feed is down): every call goes to the database.
 */
import { LRUCache } from "lru-cache";

export type Rows = Record<string, unknown>[];
export type Run = (text: string, params: unknown[]) => Promise<Rows>;

type Entry = {
  /** Query (text id and the parameters after the token hash) → rows. */
  results: Map<string, Rows>;
  userId: string | null;
  credentialIds: Set<string>;
};

export type CacheStats = { hits: number; misses: number; negativeHits: number; invalidations: number; flushes: number };

const EMPTY: Rows = Object.freeze([]) as unknown as Rows;

export class ResolutionCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly unknown: LRUCache<string, true>;
  private readonly byCredential = new Map<string, Set<string>>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly inflight = new Map<string, Promise<Rows>>();
  /** Query text → its short id, the subkey of a query whose only parameter is the token hash. */
  private readonly textIds = new Map<string, string>();
  private generation = 0;
  private on = false;
  readonly stats: CacheStats = { hits: 0, misses: 0, negativeHits: 0, invalidations: 0, flushes: 0 };

  constructor(options: { size: number; unknownSize: number; unknownTtlMs: number }) {
    this.entries = new LRUCache<string, Entry>({
      max: options.size,
      dispose: (entry, hash) => this.unindex(hash, entry),
    });
    this.unknown = new LRUCache<string, true>({ max: options.unknownSize, ttl: options.unknownTtlMs, ttlAutopurge: false });
  }

  get enabled(): boolean {
    return this.on;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Feed up: start caching (from empty). */
  enable(): void {
    this.flush();
    this.on = true;
  }

  /** Feed down: stop caching and forget everything (invalidations may be missed from now on). */
  disable(): void {
    this.on = false;
    this.flush();
  }

  /**
   * Runs a resolution query through the cache. `params[0]` is the token hash every resolution
   * query is keyed by; the other parameters (a provider, a profile name, a credential id) and the
   * query text pick the result within the token's entry.
   */
  query(text: string, params: unknown[], run: Run): Promise<Rows> {
    if (!this.on) return run(text, params);
    const hash = params[0] as string;
    const sub = this.subkey(text, params);
    const rows = this.cached(hash, sub);
    if (rows) return Promise.resolve(rows);
    const key = `${hash}\u0000${sub}`;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    this.stats.misses++;
    const generation = this.generation;
    const fill = run(text, params).then(
      (result) => {
        if (this.inflight.get(key) === fill) this.inflight.delete(key);
        if (this.on && generation === this.generation) this.store(hash, sub, result);
        return result;
      },
      (error: unknown) => {
        if (this.inflight.get(key) === fill) this.inflight.delete(key);
        throw error;
      },
    );
    this.inflight.set(key, fill);
    return fill;
  }

  /** The cached answer, synchronously, or undefined when only the database has it (or caching is off). */
  peek(text: string, params: unknown[]): Rows | undefined {
    return this.on ? this.cached(params[0] as string, this.subkey(text, params)) : undefined;
  }

  private cached(hash: string, sub: string): Rows | undefined {
    const rows = this.entries.get(hash)?.results.get(sub);
    if (rows) {
      this.stats.hits++;
      return rows;
    }
    if (this.unknown.has(hash)) {
      this.stats.negativeHits++;
      return EMPTY;
    }
    return undefined;
  }

  /** Applies one announcement from the database (see db/migrations/0009). Unknown payloads flush: safe. */
  invalidate(payload: string): void {
    this.stats.invalidations++;
    this.generation++;
    this.inflight.clear();
    const kind = payload.slice(0, 2);
    const id = payload.slice(2);
    if (kind === "t:") {
      this.entries.delete(id);
      this.unknown.delete(id);
    } else if (kind === "c:") {
      for (const hash of [...(this.byCredential.get(id) ?? [])]) this.entries.delete(hash);
    } else if (kind === "u:") {
      for (const hash of [...(this.byUser.get(id) ?? [])]) this.entries.delete(hash);
    } else {
      this.flush();
    }
  }

  /** Every cached row, for inspection (tests check that no plaintext secret is among them). */
  rows(): Rows {
    return [...this.entries.values()].flatMap((entry) => [...entry.results.values()].flat());
  }

  /** Forgets every entry; fills in flight are not kept. */
  flush(): void {
    this.stats.flushes++;
    this.generation++;
    this.inflight.clear();
    this.entries.clear();
    this.unknown.clear();
  }

  private subkey(text: string, params: unknown[]): string {
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = String(this.textIds.size);
      this.textIds.set(text, id);
    }
    let key = id;
    for (let i = 1; i < params.length; i++) key += `\u0000${params[i] === null || params[i] === undefined ? "\u0001" : String(params[i])}`;
    return key;
  }

  private store(hash: string, sub: string, rows: Rows): void {
    if (rows.length === 0) {
      // No agent_tokens row at all: every resolution query starts from the token.
      this.unknown.set(hash, true);
      return;
    }
    let entry = this.entries.get(hash);
    if (!entry) {
      const userId = (rows[0]!.owner_user_id as string | null) ?? null;
      entry = { results: new Map(), userId, credentialIds: new Set() };
      this.entries.set(hash, entry);
      if (userId) indexAdd(this.byUser, userId, hash);
    }
    entry.results.set(sub, rows);
    for (const row of rows) {
      const credentialId = row.credential_id as string | null | undefined;
      if (credentialId && !entry.credentialIds.has(credentialId)) {
        entry.credentialIds.add(credentialId);
        indexAdd(this.byCredential, credentialId, hash);
      }
    }
  }

  private unindex(hash: string, entry: Entry): void {
    if (entry.userId) indexRemove(this.byUser, entry.userId, hash);
    for (const credentialId of entry.credentialIds) indexRemove(this.byCredential, credentialId, hash);
  }
}

function indexAdd(index: Map<string, Set<string>>, id: string, hash: string): void {
  const set = index.get(id);
  if (set) set.add(hash);
  else index.set(id, new Set([hash]));
}

function indexRemove(index: Map<string, Set<string>>, id: string, hash: string): void {
  const set = index.get(id);
  if (!set) return;
  set.delete(hash);
  if (set.size === 0) index.delete(id);
}
