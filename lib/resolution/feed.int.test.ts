/**
 * The resolution cache's invalidation feed: the cache holds ciphertext, never a key; on
 * PostgreSQL, losing the LISTEN connection turns the cache off (answers come from the database)
 * until the listener is back, and it comes back empty.
 */
import { describe, expect, it } from "vitest";
import postgres from "postgres";
import { getDb } from "@/db/client";
import { GET } from "@/app/api/v1/config/route";
import { setDefaultInScope } from "@/lib/credentials/service";
import { parseCredentialForm } from "@/lib/credentials/form";
import { saveInScope } from "@/lib/credentials/service";
import { cachedResolutionRows, resolutionCacheState, startResolutionCache } from "@/lib/resolution";
import { startPostgresFeed } from "@/lib/resolution/feed";
import { createTokenInScope } from "@/lib/tokens/service";
import { hashToken } from "@/lib/tokens/token-format";
import { cardForm, configRequest, createTestUser, withEmulator } from "@/test/helpers";
import { actorOf } from "@/test/orgs";

const { host } = withEmulator();
const KEY = "sk-proj-valid-feedtest-plaintext-xyzxyzxyzxyzxyz";

async function status(token: string) {
  const res = await GET(configRequest(`Bearer ${token}`));
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body };
}

async function userWithToken(count = 1) {
  const db = await getDb();
  const user = await createTestUser(db, "Feed User");
  const parsed = parseCredentialForm(cardForm({ provider: "openai", apiHost: host("openai"), model: "gpt-4o", fields: { apiKey: KEY } }));
  if (!parsed.ok) throw new Error("form");
  const saved = await saveInScope(db, actorOf(user), { kind: "user" }, parsed);
  if (!saved.saved) throw new Error("not saved");
  await setDefaultInScope(db, actorOf(user), { kind: "user" }, saved.credential.id);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push((await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: `t${i}`, expiresInDays: "never" })).token);
  }
  return tokens;
}

async function until(check: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("resolution cache contents", () => {
  it("holds the credential's ciphertext, never the key an answer hands out", async () => {
    expect(await startResolutionCache()).toBe(true);
    const [token] = await userWithToken();
    expect((await status(token!)).body).toMatchObject({ apiKey: KEY });
    expect((await status(token!)).body).toMatchObject({ apiKey: KEY }); // from the cache
    const rows = cachedResolutionRows();
    expect(rows.some((row) => row.token_id && row.secret_ciphertext)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(KEY);
    expect(JSON.stringify(rows)).not.toContain(token!);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("PostgreSQL: the LISTEN connection", () => {
  it("dropped: the cache is bypassed, a write nobody announced is still seen; back: caching resumes, from empty", async () => {
    expect(await startResolutionCache()).toBe(true);
    const [warmToken, revokedLater] = await userWithToken(2);
    for (const token of [warmToken!, revokedLater!]) {
      await status(token);
      await status(token);
    }
    const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const flushes = resolutionCacheState().stats.flushes;
      const killed = await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'byok-invalidation' and datname = current_database()`;
      expect(killed).toHaveLength(1);
      await until(() => !resolutionCacheState().enabled);
      // A write that announces nothing (triggers off for this session): only the database knows.
      await sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`update agent_tokens set revoked_at = now() where token_hash = ${hashToken(revokedLater!)}`;
      });
      expect((await status(revokedLater!)).status).toBe(401);
      await until(() => resolutionCacheState().enabled);
      expect(resolutionCacheState().stats.flushes).toBeGreaterThan(flushes);
      expect((await status(revokedLater!)).status).toBe(401);
      // Caching again: the second request is a hit.
      await status(warmToken!);
      const hits = resolutionCacheState().stats.hits;
      expect((await status(warmToken!)).status).toBe(200);
      expect(resolutionCacheState().stats.hits).toBe(hits + 1);
    } finally {
      await sql.end();
    }
  });

  it("while it is up, a write by another connection reaches this instance within the notification delay", async () => {
    expect(await startResolutionCache()).toBe(true);
    const [token] = await userWithToken();
    await status(token!);
    await status(token!);
    const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await sql`update agent_tokens set revoked_at = now() where token_hash = ${hashToken(token!)}`;
      const start = Date.now();
      while ((await status(token!)).status !== 401) {
        expect(Date.now() - start).toBeLessThan(1_000);
        await new Promise((r) => setTimeout(r, 1));
      }
    } finally {
      await sql.end();
    }
  });

  it("a stalled process is not a lost feed: an answer held up by a long pause is read, the cache stays on", async () => {
    let downs = 0;
    const feed = startPostgresFeed(
      process.env.DATABASE_URL!,
      { channel: "byok_feed_stall_test", onPayload: () => {}, onUp: () => {}, onDown: () => downs++ },
      { pingEveryMs: 3_600_000, syncTimeoutMs: 100 },
    );
    const stall = (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        // a garbage-collection pause, a long synchronous task
      }
    };
    try {
      await until(() => feed.up);
      // Stalled before the barrier's query went out, then after (its answer lands during the stall).
      for (const yieldFirst of [false, true]) {
        const synced = feed.sync();
        if (yieldFirst) await new Promise((r) => setTimeout(r, 0));
        stall(350);
        await synced;
        expect(feed.up).toBe(true);
      }
      expect(downs).toBe(0);
    } finally {
      await feed.stop();
    }
  });
});
