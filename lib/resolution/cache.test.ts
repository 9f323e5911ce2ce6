/** The resolution cache as a data structure: what it keeps, what each announcement removes, and races. */
import { describe, expect, it } from "vitest";
import { ResolutionCache, type Rows } from "./cache";

const Q = "select … where t.token_hash = $1";
const Q2 = "select … profile $2";
const row = (over: Record<string, unknown> = {}) => ({ token_id: "tok", owner_user_id: "user-1", credential_id: "cred-1", ...over });

function counting(answer: (params: unknown[]) => Rows) {
  const calls: unknown[][] = [];
  const run = async (_text: string, params: unknown[]) => {
    calls.push(params);
    return answer(params);
  };
  return { run, calls };
}

function enabledCache(size = 100) {
  const cache = new ResolutionCache({ size, unknownSize: 100, unknownTtlMs: 60_000 });
  cache.enable();
  return cache;
}

describe("ResolutionCache", () => {
  it("answers a repeated resolution from memory, per query text and parameter", async () => {
    const cache = enabledCache();
    const db = counting(() => [row()]);
    await cache.query(Q, ["h1", null], db.run);
    await cache.query(Q, ["h1", null], db.run);
    await cache.query(Q, ["h1", "openai"], db.run);
    await cache.query(Q2, ["h1", null], db.run);
    await cache.query(Q2, ["h1", null], db.run);
    expect(db.calls).toHaveLength(3);
    expect(cache.stats).toMatchObject({ hits: 2, misses: 3 });
  });

  it("peek answers a hit (and a known-unknown token) synchronously, and undefined when only the database can", async () => {
    const cache = enabledCache();
    const db = counting((params) => (params[0] === "ghost" ? [] : [row()]));
    expect(cache.peek(Q, ["h1", null])).toBeUndefined();
    await cache.query(Q, ["h1", null], db.run);
    await cache.query(Q, ["ghost", null], db.run);
    expect(cache.peek(Q, ["h1", null])).toEqual([row()]);
    expect(cache.peek(Q, ["ghost", null])).toEqual([]);
    expect(cache.peek(Q, ["h1", "openai"])).toBeUndefined();
    cache.invalidate("c:cred-1");
    expect(cache.peek(Q, ["h1", null])).toBeUndefined();
    await cache.query(Q, ["h1", null], db.run);
    cache.disable();
    expect(cache.peek(Q, ["h1", null])).toBeUndefined();
    expect(db.calls).toHaveLength(3);
  });

  it("while disabled (feed down), every call goes to the database and nothing is kept", async () => {
    const cache = new ResolutionCache({ size: 10, unknownSize: 10, unknownTtlMs: 60_000 });
    const db = counting(() => [row()]);
    await cache.query(Q, ["h1"], db.run);
    await cache.query(Q, ["h1"], db.run);
    expect(db.calls).toHaveLength(2);
    cache.enable();
    await cache.query(Q, ["h1"], db.run);
    await cache.query(Q, ["h1"], db.run);
    expect(db.calls).toHaveLength(3);
    cache.disable();
    await cache.query(Q, ["h1"], db.run);
    expect(db.calls).toHaveLength(4);
    expect(cache.size).toBe(0);
  });

  it("remembers an unknown token once, until its own announcement (it was just created)", async () => {
    const cache = enabledCache();
    let exists = false;
    const db = counting(() => (exists ? [row()] : []));
    for (let i = 0; i < 5; i++) expect(await cache.query(Q, ["ghost"], db.run)).toEqual([]);
    expect(db.calls).toHaveLength(1);
    exists = true;
    cache.invalidate("t:ghost");
    expect(await cache.query(Q, ["ghost"], db.run)).toHaveLength(1);
  });

  it("forgets unknown tokens after their TTL", async () => {
    const cache = new ResolutionCache({ size: 10, unknownSize: 10, unknownTtlMs: 20 });
    cache.enable();
    const db = counting(() => []);
    await cache.query(Q, ["ghost"], db.run);
    await cache.query(Q, ["ghost"], db.run);
    await new Promise((r) => setTimeout(r, 40));
    await cache.query(Q, ["ghost"], db.run);
    expect(db.calls).toHaveLength(2);
  });

  it("t: drops that token only; c: every token whose answer holds the credential; u: that user's tokens; * everything", async () => {
    const cache = enabledCache();
    const rowsOf: Record<string, Rows> = {
      a: [row({ owner_user_id: "u1", credential_id: "c1" })],
      b: [row({ owner_user_id: "u2", credential_id: "c1" }), row({ owner_user_id: "u2", credential_id: "c2" })],
      c: [row({ owner_user_id: "u2", credential_id: "c3" })],
      d: [row({ owner_user_id: null, credential_id: null })],
    };
    const db = counting((params) => rowsOf[params[0] as string]!);
    const warm = async () => {
      for (const hash of Object.keys(rowsOf)) await cache.query(Q, [hash], db.run);
    };
    const missesAfter = async (payload: string) => {
      await warm();
      const before = db.calls.length;
      cache.invalidate(payload);
      await warm();
      return db.calls
        .slice(before)
        .map((params) => params[0])
        .sort();
    };
    await warm();
    expect(await missesAfter("t:a")).toEqual(["a"]);
    expect(await missesAfter("c:c1")).toEqual(["a", "b"]);
    expect(await missesAfter("c:c2")).toEqual(["b"]);
    expect(await missesAfter("u:u2")).toEqual(["b", "c"]);
    expect(await missesAfter("c:unrelated")).toEqual([]);
    expect(await missesAfter("*")).toEqual(["a", "b", "c", "d"]);
  });

  it("does not keep a fill that was in flight when an announcement arrived (it may have read the old state)", async () => {
    const cache = enabledCache();
    let release!: () => void;
    const slow = async () => {
      await new Promise<void>((r) => (release = r));
      return [row({ revoked_at: null })];
    };
    const pending = cache.query(Q, ["h1"], slow);
    cache.invalidate("t:h1"); // the token was revoked while the query ran
    release();
    expect(await pending).toHaveLength(1); // that caller asked before the revocation
    const db = counting(() => [row({ revoked_at: new Date() })]);
    expect((await cache.query(Q, ["h1"], db.run))[0]).toHaveProperty("revoked_at", expect.any(Date));
    expect(db.calls).toHaveLength(1);
  });

  it("concurrent misses on one key share one query; a caller after an announcement does not join it", async () => {
    const cache = enabledCache();
    let release!: () => void;
    const calls: string[] = [];
    const run = async () => {
      calls.push("q");
      await new Promise<void>((r) => (release = r));
      return [row()];
    };
    const first = cache.query(Q, ["h1"], run);
    const second = cache.query(Q, ["h1"], run);
    expect(calls).toHaveLength(1);
    cache.invalidate("*");
    const third = cache.query(Q, ["h1"], async () => (calls.push("fresh"), [row({ credential_id: "c9" })]));
    release();
    await Promise.all([first, second]);
    expect((await third)[0]).toHaveProperty("credential_id", "c9");
    expect(calls).toEqual(["q", "fresh"]);
  });

  it("is bounded: the least recently used token goes first, and its index entries with it", async () => {
    const cache = enabledCache(2);
    const db = counting((params) => [row({ credential_id: `c-${String(params[0])}` })]);
    await cache.query(Q, ["a"], db.run);
    await cache.query(Q, ["b"], db.run);
    await cache.query(Q, ["a"], db.run); // a is now the most recent
    await cache.query(Q, ["c"], db.run); // evicts b
    expect(cache.size).toBe(2);
    await cache.query(Q, ["a"], db.run);
    await cache.query(Q, ["b"], db.run);
    expect(db.calls.map((p) => p[0])).toEqual(["a", "b", "c", "b"]);
  });

  it("does not cache a failed query", async () => {
    const cache = enabledCache();
    let fail = true;
    const run = async () => {
      if (fail) throw new Error("connection lost");
      return [row()];
    };
    await expect(cache.query(Q, ["h1"], run)).rejects.toThrow("connection lost");
    fail = false;
    expect(await cache.query(Q, ["h1"], run)).toHaveLength(1);
  });

  it("keeps copies of the driver's rows, with the same columns and values, and hands the first caller the same copies as later hits", async () => {
    const cache = enabledCache();
    const raw = [row({ expires_at: null, extra: { apiVersion: "2024-10-21" } }), row({ credential_id: "cred-2" })];
    const db = counting(() => raw);
    const first = await cache.query(Q, ["h1"], db.run);
    const hit = await cache.query(Q, ["h1"], db.run);
    expect(first).toEqual(raw);
    expect(first).not.toBe(raw);
    expect(Object.keys(first[0]!)).toEqual(Object.keys(raw[0]!));
    expect(hit).toBe(first); // what a caller works out from a row (resolve.ts) is worked out once
    expect(hit[1]).toBe(first[1]);
    expect(cache.peek(Q, ["h1"])).toBe(first);
    expect(db.calls).toHaveLength(1);
  });

  it("indexes a user's and a credential's tokens whether they have one or several, and forgets them on eviction", async () => {
    const cache = enabledCache(3);
    const db = counting((params) => [row({ owner_user_id: "u1", credential_id: params[0] === "c" ? "c2" : "c1" })]);
    for (const hash of ["a", "b", "c"]) await cache.query(Q, [hash], db.run);
    cache.invalidate("c:c1"); // a and b
    expect(cache.size).toBe(1);
    await cache.query(Q, ["a"], db.run);
    cache.invalidate("u:u1"); // a and c
    expect(cache.size).toBe(0);
    await cache.query(Q, ["c"], db.run);
    cache.invalidate("t:c");
    cache.invalidate("c:c2"); // nothing left to drop, nothing thrown
    expect(cache.size).toBe(0);
  });
});
