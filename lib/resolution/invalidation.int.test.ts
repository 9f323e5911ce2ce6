/**
 * Every write that can change what a token resolves to, against a warm resolution cache: the
 * answer is first served from memory (a hit, no query), then the write goes through the same
 * function the page's server action calls, and the very next request on this instance sees it.
 * Runs on PGlite (announcements at commit, in process) and on PostgreSQL (the LISTEN feed, with the
 * catch-up after a local write).
 */
import { randomBytes } from "node:crypto";
import { getHeapSnapshot } from "node:v8";
import { describe, expect, it, vi } from "vitest";

const keys = await vi.hoisted(async () => {
  // Two master keys, v1 active: rotation to v2 happens in a test. Generated without importing the
  // app (its env is read once, on first import).
  const { randomBytes: bytes } = await import("node:crypto");
  const v1 = `v1:${bytes(32).toString("base64")}`;
  const v2 = `v2:${bytes(32).toString("base64")}`;
  process.env.BYOK_ENCRYPTION_KEYS = `${v1},${v2}`;
  return { v1, v2 };
});

const { eq } = await import("drizzle-orm");
const { getDb } = await import("@/db/client");
const { agentTokens, organizations, providerCredentials } = await import("@/db/schema");
const { GET } = await import("@/app/api/v1/config/route");
const { GET: GATEWAY } = await import("@/app/api/v1/gateway/[credentialId]/[...path]/route");
const { emulatorKey } = await import("@/e2e/emulator/scenarios");
const { changeName } = await import("@/lib/auth/account");
const { upsertCredential } = await import("@/lib/credentials/queries");
const { revalidateForOwner } = await import("@/lib/credentials/revalidate");
const { rotateMasterKey } = await import("@/lib/credentials/rotate");
const { removeInScope, setDefaultInScope, setDeliveryInScope } = await import("@/lib/credentials/service");
const { parseMasterKeys } = await import("@/lib/crypto/master-keys");
const { changeMemberRole, removeMember } = await import("@/lib/orgs/members");
const { setCredentialSharing } = await import("@/lib/orgs/sharing");
const { userOwner } = await import("@/lib/owners");
const { addProfileEntry, createProfile, moveProfileEntry } = await import("@/lib/profiles/service");
const { resolveAgentConfig } = await import("@/lib/config/resolve");
const { resolutionCacheState, resolutionQuery, startResolutionCache } = await import("@/lib/resolution");
const { createTokenInScope, revokeTokenInScope } = await import("@/lib/tokens/service");
const { hashToken } = await import("@/lib/tokens/token-format");
const { configRequest, createTestUser, withEmulator } = await import("@/test/helpers");
const { actorOf, makeCast, saveOrgCredential } = await import("@/test/orgs");

const { host } = withEmulator();

type Answer = { status: number; body: Record<string, unknown> };

async function call(token: string, query = ""): Promise<Answer> {
  const res = await GET(configRequest(`Bearer ${token}`, query));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const stats = () => resolutionCacheState().stats;

/** Whether a V8 heap snapshot of this process (strings in full, after a full GC) contains `needle`. Streamed, never held whole. */
async function heapSnapshotContains(needle: Buffer): Promise<boolean> {
  let tail = Buffer.alloc(0);
  for await (const chunk of getHeapSnapshot() as AsyncIterable<Buffer>) {
    const window = Buffer.concat([tail, chunk]);
    if (window.includes(needle)) return true;
    tail = window.subarray(Math.max(0, window.length - needle.length + 1));
  }
  return false;
}

/** Calls twice: the second answer must come from the cache (a hit, no query) and equal the first. */
async function warm(token: string, query = ""): Promise<Answer> {
  expect(await startResolutionCache()).toBe(true);
  const first = await call(token, query);
  const before = stats();
  const second = await call(token, query);
  const after = stats();
  expect(after.hits + after.negativeHits).toBeGreaterThan(before.hits + before.negativeHits);
  expect(after.misses).toBe(before.misses);
  expect(second).toEqual(first);
  return second;
}

async function storeKey(userId: string, key: string, model = "gpt-4o", provider: "openai" | "anthropic" = "openai") {
  const db = await getDb();
  return upsertCredential(db, userOwner(userId), {
    provider,
    model,
    apiHost: host(provider),
    extra: {},
    parameters: null,
    secrets: { apiKey: key },
    secretHints: { apiKey: "sk-…" },
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(Date.now() - 86_400_000),
    actorUserId: userId,
  });
}

/** A user with their own OpenAI credential as default, and a personal token. */
async function personal(key = emulatorKey("valid")) {
  const db = await getDb();
  const user = await createTestUser(db, "Cache User");
  const credential = await storeKey(user.id, key);
  await setDefaultInScope(db, actorOf(user), { kind: "user" }, credential.id);
  const { token, view } = await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "agent", expiresInDays: "never" });
  return { db, user, credential, token, tokenId: view.id, key };
}

/** An org whose OpenAI credential the member uses as their default, with a personal token of the member's. */
async function orgMember() {
  const db = await getDb();
  const cast = await makeCast(db);
  const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), "sk-proj-valid-org-cache-xyzxyzxyzx");
  await setDefaultInScope(db, actorOf(cast.member), { kind: "user" }, credential.id);
  const { token } = await createTokenInScope(db, actorOf(cast.member), { kind: "user" }, { name: "m", expiresInDays: "never" });
  return { db, cast, credential, token };
}

describe("resolution cache: the next request after a write sees it", () => {
  it("a credential edited (new model), then removed", async () => {
    const { db, user, credential, token } = await personal();
    expect((await warm(token)).body).toMatchObject({ model: "gpt-4o" });
    await storeKey(user.id, emulatorKey("valid"), "gpt-4o-mini");
    expect((await call(token)).body).toMatchObject({ model: "gpt-4o-mini" });
    await warm(token);
    await removeInScope(db, actorOf(user), { kind: "user" }, credential.id);
    expect((await call(token)).body).toMatchObject({ error: { code: "no_default_model" } });
  });

  it("a re-validation that finds the key bad: the answer says invalid, a profile skips it", async () => {
    const { db, user, credential, token } = await personal(emulatorKey("bad"));
    const profile = await createProfile(db, actorOf(user), { kind: "user" }, "main");
    await addProfileEntry(db, actorOf(user), { kind: "user" }, profile.id, { credentialId: credential.id, model: "gpt-4o" });
    expect((await warm(token)).body).toMatchObject({ status: "valid" });
    expect((await warm(token, "?profile=main")).status).toBe(200);
    expect((await revalidateForOwner(db, userOwner(user.id), credential.id)).outcome).toBe("invalid_key");
    expect((await call(token)).body).toMatchObject({ status: "invalid" });
    expect((await call(token, "?profile=main")).body).toMatchObject({ error: { code: "no_usable_model" } });
  });

  it("the default changed", async () => {
    const { db, user, token } = await personal();
    await warm(token);
    const other = await storeKey(user.id, emulatorKey("valid"), "claude-3-5-haiku-latest", "anthropic");
    await setDefaultInScope(db, actorOf(user), { kind: "user" }, other.id);
    expect((await call(token)).body).toMatchObject({ provider: "anthropic", model: "claude-3-5-haiku-latest" });
  });

  it("a profile's entries reordered", async () => {
    const { db, user, credential, token } = await personal();
    const other = await storeKey(user.id, emulatorKey("valid"), "claude-3-5-haiku-latest", "anthropic");
    const scope = { kind: "user" } as const;
    const profile = await createProfile(db, actorOf(user), scope, "fast");
    await addProfileEntry(db, actorOf(user), scope, profile.id, { credentialId: credential.id, model: "gpt-4o-mini" });
    const second = await addProfileEntry(db, actorOf(user), scope, profile.id, {
      credentialId: other.id,
      model: "claude-3-5-haiku-latest",
    });
    expect((await warm(token, "?profile=fast")).body).toMatchObject({ provider: "openai" });
    await moveProfileEntry(db, actorOf(user), scope, profile.id, second.id, "up");
    expect((await call(token, "?profile=fast")).body).toMatchObject({ provider: "anthropic", fallbacks: [{ provider: "openai" }] });
  });

  it("delivery switched to the gateway: the key is no longer handed out", async () => {
    const { db, user, credential, token, key } = await personal();
    expect((await warm(token)).body).toMatchObject({ delivery: "key", apiKey: key });
    await setDeliveryInScope(db, actorOf(user), { kind: "user" }, credential.id, "gateway");
    const after = await call(token);
    expect(after.body).toMatchObject({ delivery: "gateway", apiKey: token });
    expect(JSON.stringify(after.body)).not.toContain(key);
  });

  it("a token revoked: refused by the config route and by the gateway", async () => {
    const { db, user, credential, token, tokenId } = await personal();
    await setDeliveryInScope(db, actorOf(user), { kind: "user" }, credential.id, "gateway");
    await warm(token);
    const models = () =>
      GATEWAY(new Request(`http://localhost/api/v1/gateway/${credential.id}/models`, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ credentialId: credential.id, path: ["models"] }),
      });
    await models(); // warms the gateway's entry
    await revokeTokenInScope(db, actorOf(user), { kind: "user" }, tokenId);
    expect((await call(token)).status).toBe(401);
    expect((await models()).status).toBe(401);
  });

  it("a token unknown a moment ago, then created: the negative entry goes with its announcement", async () => {
    const { db, user } = await personal();
    const token = `byok_${randomBytes(32).toString("base64url")}`;
    expect((await warm(token)).status).toBe(401);
    const before = stats();
    await call(token);
    expect(stats().negativeHits).toBe(before.negativeHits + 1);
    await db.insert(agentTokens).values({ ownerUserId: user.id, name: "late", tokenHash: hashToken(token), lastFour: token.slice(-4) });
    expect((await call(token)).status).toBe(200);
  });

  it("expiry is checked on every hit, without a write", async () => {
    const { db, user } = await personal();
    const { token, view } = await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "short", expiresInDays: "7" });
    await db
      .update(agentTokens)
      .set({ expiresAt: new Date(Date.now() + 400) })
      .where(eq(agentTokens.id, view.id));
    expect((await warm(token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    const before = stats();
    expect((await call(token)).status).toBe(401);
    expect(stats().hits).toBe(before.hits + 1); // refused from memory
  });

  it("a hit builds a fresh answer and decrypts the key again: one answer cannot change the next", async () => {
    const { token, key } = await personal();
    await warm(token);
    const resolve = async () => await resolveAgentConfig(resolutionQuery, token);
    const first = (await resolve()).config();
    const owner = first.source.name;
    expect(owner).toMatch(/^Cache User/);
    expect(first.apiKey).toBe(key);
    // What the row answers every time is shared between answers, so it cannot be written to…
    expect(() => Object.assign(first.source, { name: "someone else" })).toThrow(TypeError);
    expect(() => Object.assign(first.capabilities, { tools: "none" })).toThrow(TypeError);
    // …and what an answer may carry of its own is its own.
    first.extra.injected = "x";
    first.apiKey = "sk-not-the-key";
    const before = stats();
    const again = await resolve();
    expect(stats().hits).toBe(before.hits + 1);
    const second = again.config();
    expect(second.extra).toEqual({});
    expect(second.apiKey).toBe(key);
    expect(second.source.name).toBe(owner);
    // The JSON bytes an agent gets are the same answer, and handing them out changes nothing.
    const parse = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
    expect(again.json(parse)).toEqual(second);
    again.json((bytes) => bytes.fill(0));
    expect((await resolve()).json(parse)).toEqual(second);
  });

  it("a heap snapshot taken while the answer is cached and served holds no plaintext key", async () => {
    // The key exists as a string only briefly, while it is stored; the test keeps its bytes.
    const keyBytes = Buffer.from(emulatorKey("valid", "sk-heap-"), "utf8");
    const { token } = await personal(keyBytes.toString("utf8"));
    await warm(token);
    const before = stats();
    for (let i = 0; i < 20; i++) {
      const res = await GET(configRequest(`Bearer ${token}`));
      expect(Buffer.from(await res.arrayBuffer()).includes(keyBytes)).toBe(true);
    }
    expect(stats().hits).toBe(before.hits + 20);
    expect(await heapSnapshotContains(keyBytes)).toBe(false);
    // The search finds what is there: the agent token is held, in the clear, by this test.
    expect(await heapSnapshotContains(Buffer.from(token, "utf8"))).toBe(true);
  }, 60_000);

  it("a member removed, demoted past a selected share, or a share narrowed", async () => {
    const removed = await orgMember();
    expect((await warm(removed.token)).status).toBe(200);
    await removeMember(removed.db, actorOf(removed.cast.owner), removed.cast.slug, removed.cast.member.id);
    expect((await call(removed.token)).body).toMatchObject({ error: { code: "no_default_model" } });

    const narrowed = await orgMember();
    await warm(narrowed.token);
    await setCredentialSharing(narrowed.db, actorOf(narrowed.cast.owner), narrowed.cast.slug, narrowed.credential.id, {
      mode: "selected",
      userIds: [narrowed.cast.target.id],
    });
    expect((await call(narrowed.token)).body).toMatchObject({ error: { code: "no_default_model" } });

    // An admin may use every org credential; shared with selected others, a demotion takes it away.
    const demoted = await orgMember();
    const { db, cast, credential } = demoted;
    await setCredentialSharing(db, actorOf(cast.owner), cast.slug, credential.id, { mode: "selected", userIds: [cast.target.id] });
    await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.member.id, "admin");
    await setDefaultInScope(db, actorOf(cast.member), { kind: "user" }, credential.id);
    expect((await warm(demoted.token)).status).toBe(200);
    await changeMemberRole(db, actorOf(cast.owner), cast.slug, cast.member.id, "member");
    expect((await call(demoted.token)).body).toMatchObject({ error: { code: "no_default_model" } });
  });

  it("names in the answer: the user renamed, the organization renamed", async () => {
    const { db, user, token } = await personal();
    await warm(token);
    await changeName(db, user.id, { name: "Renamed Person" });
    expect((await call(token)).body).toMatchObject({ source: { type: "user", name: "Renamed Person" } });

    const org = await orgMember();
    await warm(org.token);
    await org.db.update(organizations).set({ name: "Renamed Org" }).where(eq(organizations.id, org.cast.orgId));
    expect((await call(org.token)).body).toMatchObject({ source: { type: "org", name: "Renamed Org" } });
  });

  it("key rotation re-wraps the credential: its entry is dropped and the answer still decrypts", async () => {
    const { db, credential, token, key } = await personal();
    expect((await warm(token)).body).toMatchObject({ apiKey: key });
    const report = await rotateMasterKey(db, parseMasterKeys(`${keys.v2},${keys.v1}`));
    expect(report.rewrapped).toBeGreaterThanOrEqual(1);
    const [row] = await db
      .select({ v: providerCredentials.keyVersion })
      .from(providerCredentials)
      .where(eq(providerCredentials.id, credential.id));
    expect(row!.v).toBe("v2");
    const before = stats();
    expect((await call(token)).body).toMatchObject({ apiKey: key });
    expect(stats().misses).toBe(before.misses + 1); // read again, with the new wrapped key
  });

  it("a write to one user's things leaves other users' entries warm", async () => {
    const a = await personal();
    const b = await personal();
    await warm(a.token);
    await warm(b.token);
    await storeKey(a.user.id, emulatorKey("valid"), "gpt-4o-mini");
    const before = stats();
    await call(b.token);
    expect(stats().hits).toBe(before.hits + 1);
    expect((await call(a.token)).body).toMatchObject({ model: "gpt-4o-mini" });
  });
});
