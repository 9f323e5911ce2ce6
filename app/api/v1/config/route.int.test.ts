import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, preparedQuery } from "@/db/client";
import { flushTokenUse } from "@/lib/config/resolve";
import { agentTokens, providerCredentials } from "@/db/schema";
import { parseCredentialForm } from "@/lib/credentials/form";
import { setUserDefault } from "@/lib/credentials/queries";
import { saveProviderCredential } from "@/lib/credentials/save";
import { userOwner } from "@/lib/owners";
import { createToken, revokeToken } from "@/lib/tokens/queries";
import { cardForm, configRequest, createTestUser, withEmulator } from "@/test/helpers";
import { GET } from "./route";

const { host } = withEmulator();
const KEY = "sk-proj-agentKEYabcdefghijklmnopqrstuvwxyz01234567wxYZ";

async function userWithDefault() {
  const db = await getDb();
  const user = await createTestUser(db);
  const parsed = parseCredentialForm(
    cardForm({ provider: "openai", apiHost: host("openai"), model: "gpt-4o-mini", fields: { apiKey: KEY } }),
  );
  if (!parsed.ok) throw new Error("bad form");
  const saved = await saveProviderCredential(db, {
    owner: userOwner(user.id),
    actorUserId: user.id,
    input: parsed.data,
    definition: parsed.definition,
  });
  if (!saved.saved) throw new Error(`not saved: ${saved.report.title}`);
  await setUserDefault(db, user.id, saved.credential.id);
  const { token, view } = await createToken(db, userOwner(user.id), { name: "agent", expiresInDays: "never", actorUserId: user.id });
  return { db, user, token, tokenId: view.id, credentialId: saved.credential.id };
}

async function call(authorization: string | null, query = "") {
  const res = await GET(configRequest(authorization, query));
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("GET /api/v1/config", () => {
  it("returns the owner's default with the key, never cached", async () => {
    const { user, token } = await userWithDefault();
    const res = await call(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({
      delivery: "key",
      provider: "openai",
      providerName: "OpenAI",
      model: "gpt-4o-mini",
      apiHost: host("openai"),
      apiKey: KEY,
      extra: {},
      parameters: {},
      capabilities: { tools: "supported" },
      source: { type: "user", id: user.id, name: user.name, via: "user_default" },
      status: "valid",
      validatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("?provider= picks that credential; unknown and unconfigured providers get clear errors", async () => {
    const { token } = await userWithDefault();
    expect((await call(`Bearer ${token}`, "?provider=openai")).body).toMatchObject({ provider: "openai", apiKey: KEY });
    const missing = await call(`Bearer ${token}`, "?provider=anthropic");
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "provider_not_configured" } } });
    const unknown = await call(`Bearer ${token}`, "?provider=nope");
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect((await call(`Bearer ${token}`, "?provider=openai&provider=zai")).status).toBe(400);
  });

  it("answers one identical 401 for missing, malformed, unknown, revoked and expired tokens", async () => {
    const { db, user, token, tokenId } = await userWithDefault();
    const { token: expiring, view } = await createToken(db, userOwner(user.id), { name: "old", expiresInDays: "7", actorUserId: user.id });
    await db
      .update(agentTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(agentTokens.id, view.id));
    expect((await call(`Bearer ${token}`)).status).toBe(200);
    expect(await revokeToken(db, userOwner(user.id), tokenId)).toBe(true);
    const unknown = `byok_${"A".repeat(43)}`;
    const answers = await Promise.all(
      [
        null,
        "",
        "Bearer",
        "Basic abc",
        `Bearer ${token}x`,
        `Bearer ${unknown}`,
        `Bearer ${token}`,
        `Bearer ${expiring}`,
        `bearer  ${"x".repeat(5000)}`,
        "Bearer \u00e9\u00e8",
      ].map((h) => call(h)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: { code: "unauthorized", message: "Missing, invalid, expired or revoked agent token." } });
      expect(answer.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("a user without a default gets 404 no_default_model, and sees nothing of other users", async () => {
    await userWithDefault();
    const db = await getDb();
    const other = await createTestUser(db);
    const { token } = await createToken(db, userOwner(other.id), { name: "mine", expiresInDays: "never", actorUserId: other.id });
    const res = await call(`Bearer ${token}`);
    expect(res).toMatchObject({ status: 404, body: { error: { code: "no_default_model" } } });
    expect(JSON.stringify(res.body)).not.toContain("sk-proj");
    expect((await call(`Bearer ${token}`, "?provider=openai")).status).toBe(404);
  });

  it("removing the default credential takes effect on the next request", async () => {
    const { db, token, credentialId } = await userWithDefault();
    expect((await call(`Bearer ${token}`)).status).toBe(200);
    await db.delete(providerCredentials).where(eq(providerCredentials.id, credentialId));
    expect((await call(`Bearer ${token}`)).body).toMatchObject({ error: { code: "no_default_model" } });
  });

  it("a credential that fails to decrypt answers 503 with a clear code, not garbage", async () => {
    const { db, token, credentialId } = await userWithDefault();
    await db
      .update(providerCredentials)
      .set({ secretCiphertext: sql`translate(${providerCredentials.secretCiphertext}, 'ABCD', 'BCDA')` })
      .where(eq(providerCredentials.id, credentialId));
    const res = await call(`Bearer ${token}`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(res.body).toMatchObject({ error: { code: "decryption_failed", message: expect.stringMatching(/cannot be decrypted/) } });
  });

  it("records last use without writing on every request", async () => {
    const { db, token, tokenId } = await userWithDefault();
    const lastUsed = async () =>
      (await db.select({ at: agentTokens.lastUsedAt }).from(agentTokens).where(eq(agentTokens.id, tokenId)))[0]!.at;
    expect(await lastUsed()).toBeNull();
    await call(`Bearer ${token}`);
    // Nothing is written on the request path…
    expect(await lastUsed()).toBeNull();
    // …but in the next batch, once per token however many requests it made.
    for (let i = 0; i < 5; i++) await call(`Bearer ${token}`);
    await flushTokenUse(preparedQuery);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    for (let i = 0; i < 5; i++) await call(`Bearer ${token}`);
    await flushTokenUse(preparedQuery);
    expect(await lastUsed()).toEqual(first);
  });
});
