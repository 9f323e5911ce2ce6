/**
 * Limits on GET /api/v1/config: failures from one address are refused once over the limit, but a
 * valid token from that address is still served (agents behind one NAT must not be locked out by
 * a misconfigured neighbour), and still counts against its own per-token limit.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { CONFIG_LIMITS, consumeTokenRequest } from "@/lib/config/rate-limit";
import { parseCredentialForm } from "@/lib/credentials/form";
import { setUserDefault } from "@/lib/credentials/queries";
import { saveProviderCredential } from "@/lib/credentials/save";
import { userOwner } from "@/lib/owners";
import { createToken, revokeToken } from "@/lib/tokens/queries";
import { hashToken } from "@/lib/tokens/token-format";
import { cardForm, configRequest, createTestUser, withEmulator } from "@/test/helpers";
import { GET } from "./route";

const { host } = withEmulator();
const UNKNOWN = `Bearer byok_${"A".repeat(43)}`;

async function agentWithDefault() {
  const db = await getDb();
  const user = await createTestUser(db);
  const parsed = parseCredentialForm(
    cardForm({
      provider: "openai",
      apiHost: host("openai"),
      model: "gpt-4o-mini",
      fields: { apiKey: "sk-proj-throttleKEYabcdefghijklmnopqrstuvwxyz0123" },
    }),
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
  return { db, user, token, tokenId: view.id };
}

async function call(authorization: string | null, ip: string) {
  const res = await GET(configRequest(authorization, "", ip));
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as { error?: { code: string } } };
}

async function exhaustFailures(ip: string) {
  const failures = [null, "Basic abc", "Bearer nope", UNKNOWN];
  for (let i = 0; i < CONFIG_LIMITS.failuresPerIpPerMinute; i++) {
    expect((await call(failures[i % failures.length]!, ip)).status).toBe(401);
  }
}

describe("GET /api/v1/config limits", () => {
  it("after 60 failures from an address, failures get 429 with Retry-After but a valid token is served", async () => {
    const { db, user, token } = await agentWithDefault();
    const { token: revoked, view } = await createToken(db, userOwner(user.id), {
      name: "old",
      expiresInDays: "never",
      actorUserId: user.id,
    });
    await revokeToken(db, userOwner(user.id), view.id);
    const nat = "192.0.2.10";
    await exhaustFailures(nat);

    const valid = await call(`Bearer ${token}`, nat);
    expect(valid.status).toBe(200);
    for (const bad of [UNKNOWN, null, "Bearer nope", `Bearer ${revoked}`]) {
      const refused = await call(bad, nat);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: { code: "rate_limited", message: "Too many failed requests from this address. Retry later." },
      });
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    }
    expect((await call(`Bearer ${token}`, nat)).status).toBe(200);
    // Another address is not affected by this one's failures.
    expect((await call(UNKNOWN, "192.0.2.11")).status).toBe(401);
  });

  it("a valid token served from a blocked address still counts against its own limit", async () => {
    const { token } = await agentWithDefault();
    const nat = "192.0.2.20";
    await exhaustFailures(nat);
    const served = 5;
    for (let i = 0; i < served; i++) expect((await call(`Bearer ${token}`, nat)).status).toBe(200);
    // Use up the rest of the token's minute; the 5 requests above must have counted.
    for (let i = 0; i < CONFIG_LIMITS.perTokenPerMinute - served; i++) consumeTokenRequest(hashToken(token));
    const limited = await call(`Bearer ${token}`, "192.0.2.21");
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe("rate_limited");
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
  });

  it("IPv6 clients are counted per /64, so rotating addresses does not reset the count", async () => {
    const prefix = "2001:db8:77:1";
    for (let i = 0; i < CONFIG_LIMITS.failuresPerIpPerMinute; i++) {
      expect((await call(UNKNOWN, `${prefix}::${(i + 1).toString(16)}`)).status).toBe(401);
    }
    expect((await call(UNKNOWN, `${prefix}:ffff::1`)).status).toBe(429);
    expect((await call(UNKNOWN, "2001:db8:77:2::1")).status).toBe(401);
  });
});
