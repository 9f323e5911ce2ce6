/**
 * The resolution cache: an agent token's hash → the rows the resolution queries returned for it
 * (token state, credential rows with their *ciphertext*, profile entries). Callers decrypt per
 * request, so the cache, like a heap dump of it, holds no key. Pure data structure: what feeds it
 * invalidations is ./feed.ts, what wires it to the database is ./index.ts.
 *
 * - Bounded: an LRU of `size` tokens; unknown tokens (no row at all) in a separate LRU with a
 *   short TTL, so a flood of made-up tokens costs one query each and cannot push out real entries.
 * - Small: at 100,000 tokens every garbage collection walks every entry, so an entry is kept lean
 *   (see `compact` and `Entry`): rows are copied into objects sharing one hidden class per column
 *   list (a driver's row is a dictionary-mode object of ~1.6 KB at 24 columns), and a token with one
 *   query and one credential, the common case, costs no Map or Set of its own.
 * - Invalidation by what changed: a token (`t:<hash>`), a credential (`c:<id>`, every answer
 *   holding it), a user (`u:<id>`, their personal tokens), or everything (`*`).
 * - A fill that was in flight when any invalidation arrived is answered but not kept (it may have
 *   read the old state); concurrent misses on one key share one query.
 * - `enabled` false (the invalidation feed is down): every call goes to the database.
 */
import { LRUCache } from "lru-cache";

export type Rows = Record<string, unknown>[];
export type Run = (text: string, params: unknown[]) => Promise<Rows>;

/** What the cache keeps for one token hash. A class, so that every entry shares one hidden class. */
class Entry {
  /** Further queries' results (subkey → rows), once the token has run more than one. */
  more: Map<string, Rows> | undefined = undefined;
  /** The credentials the entry's rows name: none, one, or several. */
  credentialIds: string | string[] | undefined = undefined;
  constructor(
    /** The first query's subkey (query text id and the parameters after the token hash) and rows. */
    readonly sub: string,
    readonly rows: Rows,
    readonly userId: string | null,
  ) {}

  get(sub: string): Rows | undefined {
    return sub === this.sub ? this.rows : this.more?.get(sub);
  }

  *results(): Iterable<Rows> {
    yield this.rows;
    if (this.more) yield* this.more.values();
  }

  /** Whether `id` is new to this entry (then it is recorded). */
  addCredential(id: string): boolean {
    const ids = this.credentialIds;
    if (ids === undefined) this.credentialIds = id;
    else if (typeof ids === "string") {
      if (ids === id) return false;
      this.credentialIds = [ids, id];
    } else {
      if (ids.includes(id)) return false;
      ids.push(id);
    }
    return true;
  }
}

/** Id → the token hashes whose entries name it: one hash as a plain string, several as a Set. */
type Index = Map<string, string | Set<string>>;

export type CacheStats = { hits: number; misses: number; negativeHits: number; invalidations: number; flushes: number };

const EMPTY: Rows = Object.freeze([]) as unknown as Rows;

export class ResolutionCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly unknown: LRUCache<string, true>;
  private readonly byCredential: Index = new Map();
  private readonly byUser: Index = new Map();
  /** Column list → an object with those properties (null), whose hidden class copies share. */
  private readonly templates = new Map<string, Record<string, unknown>>();
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
        // The caller gets the rows the cache keeps: what it works out from them is worked out once.
        return this.on && generation === this.generation ? this.store(hash, sub, result) : result;
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
    const rows = this.entries.get(hash)?.get(sub);
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
      for (const hash of indexed(this.byCredential, id)) this.entries.delete(hash);
    } else if (kind === "u:") {
      for (const hash of indexed(this.byUser, id)) this.entries.delete(hash);
    } else {
      this.flush();
    }
  }

  /** Every cached row, for inspection (tests check that no plaintext secret is among them). */
  rows(): Rows {
    return [...this.entries.values()].flatMap((entry) => [...entry.results()].flat());
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

  /** Keeps `rows` (compacted) under the token; returns what it keeps. */
  private store(hash: string, sub: string, rows: Rows): Rows {
    if (rows.length === 0) {
      // No agent_tokens row at all: every resolution query starts from the token.
      this.unknown.set(hash, true);
      return EMPTY;
    }
    const kept = this.compact(rows);
    let entry = this.entries.get(hash);
    if (!entry) {
      const userId = (kept[0]!.owner_user_id as string | null) ?? null;
      entry = new Entry(sub, kept, userId);
      this.entries.set(hash, entry);
      if (userId) indexAdd(this.byUser, userId, hash);
    } else {
      (entry.more ??= new Map()).set(sub, kept);
    }
    for (const row of kept) {
      const credentialId = row.credential_id as string | null | undefined;
      if (credentialId && entry.addCredential(credentialId)) indexAdd(this.byCredential, credentialId, hash);
    }
    return kept;
  }

  /**
   * Copies of `rows` that share one hidden class: a spread of a template object (fast properties,
   * in the column order) takes its shape, and each column is then overwritten, not added. Same
   * keys and values as the driver's rows (which it builds by keyed stores, leaving ~1.6 KB
   * dictionaries at 24 columns), in a plain array rather than the driver's result object.
   */
  private compact(rows: Rows): Rows {
    const keys = Object.keys(rows[0]!);
    const shape = keys.join("\u0000");
    let template = this.templates.get(shape);
    if (template === undefined) {
      template = {};
      for (const key of keys) template[key] = null;
      // JSON.parse builds objects with fast properties whatever their number.
      template = JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
      if (this.templates.size < MAX_TEMPLATES) this.templates.set(shape, template);
    }
    const kept: Rows = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const copy = { ...template };
      for (const key of keys) copy[key] = row[key];
      kept[i] = copy;
    }
    return kept;
  }

  private unindex(hash: string, entry: Entry): void {
    if (entry.userId) indexRemove(this.byUser, entry.userId, hash);
    const ids = entry.credentialIds;
    if (typeof ids === "string") indexRemove(this.byCredential, ids, hash);
    else if (ids) for (const id of ids) indexRemove(this.byCredential, id, hash);
  }
}

/** Query texts are a handful of constants; a bound all the same, should a caller ever vary them. */
const MAX_TEMPLATES = 64;

function indexAdd(index: Index, id: string, hash: string): void {
  const hashes = index.get(id);
  if (hashes === undefined) index.set(id, hash);
  else if (typeof hashes === "string") {
    if (hashes !== hash) index.set(id, new Set([hashes, hash]));
  } else hashes.add(hash);
}

function indexRemove(index: Index, id: string, hash: string): void {
  const hashes = index.get(id);
  if (hashes === undefined) return;
  if (typeof hashes === "string") {
    if (hashes === hash) index.delete(id);
  } else {
    hashes.delete(hash);
    if (hashes.size === 0) index.delete(id);
  }
}

/** The hashes an index holds for `id`, as a copy (the caller deletes entries, which unindexes them). */
function indexed(index: Index, id: string): string[] {
  const hashes = index.get(id);
  return hashes === undefined ? [] : typeof hashes === "string" ? [hashes] : [...hashes];
}
