/**
 * Delivery per credential: in gateway mode the config answer points at BYOK's gateway with the
 * agent's own token, never decrypts the credential and carries no secret; in key mode it is
 * today's answer. Who may switch it, and what the switch records.
 */
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { providerCredentials } from "@/db/schema";
import { listEvents } from "@/lib/audit/events";
import { CLIENT_ADDRESS_HEADER, stampValue } from "@/lib/client-address/stamp";
import { parseCredentialForm } from "@/lib/credentials/form";
import { upsertCredential } from "@/lib/credentials/queries";
import { saveInScope, setDeliveryInScope } from "@/lib/credentials/service";
import { env } from "@/lib/env";
import { orgOwner } from "@/lib/owners";
import { createTokenInScope } from "@/lib/tokens/service";
import { cardForm, createTestUser, withEmulator } from "@/test/helpers";
import { actorOf, makeCast, saveOrgCredential, type Cast } from "@/test/orgs";
import { GET } from "./route";

const { host } = withEmulator();
const ORG_KEY = "sk-proj-valid-gateway-xyzxyzxyzxyzxyz";
const SECRET_ACCESS_KEY = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYzz";
const SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLEsessionTOKENxyzxyzxyz";

async function call(token: string, query = "?provider=openai", origin = "http://byok.internal:8080") {
  const headers = new Headers({
    [CLIENT_ADDRESS_HEADER]: stampValue("203.0.113.77"),
    authorization: `Bearer ${token}`,
    host: new URL(origin).host,
  });
  const res = await GET(new NextRequest(`${origin}/api/v1/config${query}`, { headers }));
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

async function tokens(db: Database, cast: Cast) {
  const personal = async (user: Cast["member"]) =>
    (await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "p", expiresInDays: "never" })).token;
  return {
    member: await personal(cast.member),
    admin: await personal(cast.admin),
    org: (await createTokenInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, { name: "ci", expiresInDays: "never" }))
      .token,
  };
}

describe("delivery", () => {
  it("org credentials are created in gateway mode, personal ones in key mode", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const org = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "gateway");
    expect(org.delivery).toBe("gateway");
    const parsed = parseCredentialForm(
      cardForm({
        provider: "openai",
        apiHost: host("openai"),
        model: "gpt-4o",
        fields: { apiKey: "sk-proj-valid-own-xyzxyzxyzxyzxyzxyz" },
      }),
    );
    if (!parsed.ok) throw new Error("form");
    const personal = await saveInScope(db, actorOf(cast.member), { kind: "user" }, parsed);
    expect(personal.saved && personal.credential.delivery).toBe("key");
  });

  it("gateway mode: member's, admin's and org tokens get the gateway address and their own token, never the key", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "gateway");
    for (const [who, token] of Object.entries(await tokens(db, cast))) {
      const res = await call(token);
      expect({ who, status: res.status }).toEqual({ who, status: 200 });
      expect(res.body).toMatchObject({
        delivery: "gateway",
        provider: "openai",
        model: "gpt-4o",
        apiHost: `http://byok.internal:8080/api/v1/gateway/${credential.id}`,
        apiKey: token,
        extra: {},
        source: { type: "org", id: cast.orgId },
      });
      expect(res.text).not.toContain(ORG_KEY);
      expect(res.text).not.toContain(host("openai"));
    }
  });

  it("gateway mode never decrypts: a credential that cannot be decrypted still answers; key mode does not", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "gateway");
    const { org } = await tokens(db, cast);
    const [row] = await db
      .select({ c: providerCredentials.secretCiphertext })
      .from(providerCredentials)
      .where(eq(providerCredentials.id, credential.id));
    const broken = Buffer.from(row!.c, "base64");
    broken[broken.length - 1]! ^= 0xff;
    await db
      .update(providerCredentials)
      .set({ secretCiphertext: broken.toString("base64") })
      .where(eq(providerCredentials.id, credential.id));
    expect((await call(org)).body).toMatchObject({ delivery: "gateway", apiKey: org });
    await setDeliveryInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, credential.id, "key");
    expect((await call(org)).body).toMatchObject({ error: { code: "decryption_failed" } });
  });

  it("key mode: today's answer with delivery key", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "gateway");
    await setDeliveryInScope(db, actorOf(cast.admin), { kind: "org", slug: cast.slug }, credential.id, "key");
    for (const token of Object.values(await tokens(db, cast))) {
      expect((await call(token)).body).toMatchObject({ delivery: "key", apiHost: host("openai"), apiKey: ORG_KEY, extra: {} });
    }
  });

  it("Bedrock in gateway mode: extra keeps the region and drops every secret field", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await upsertCredential(db, orgOwner(cast.orgId), {
      provider: "bedrock",
      model: "anthropic.claude-3-haiku",
      apiHost: "https://bedrock-runtime.us-east-1.amazonaws.com",
      extra: { region: "us-east-1" },
      parameters: null,
      secrets: { accessKeyId: "AKIAEXAMPLEKEYID1234", secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN },
      secretHints: {},
      status: "valid",
      statusCode: "valid",
      statusDetail: null,
      validatedAt: new Date(),
      actorUserId: cast.owner.id,
    });
    expect(credential.delivery).toBe("gateway");
    const { member, org } = await tokens(db, cast);
    for (const token of [member, org]) {
      const res = await call(token, "?provider=bedrock");
      expect(res.body).toMatchObject({ delivery: "gateway", apiKey: token, extra: { region: "us-east-1" } });
      expect(Object.keys(res.body.extra as object)).toEqual(["region"]);
      for (const secret of ["AKIAEXAMPLEKEYID1234", SECRET_ACCESS_KEY, SESSION_TOKEN]) expect(res.text).not.toContain(secret);
    }
    await setDeliveryInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, credential.id, "key");
    expect((await call(org, "?provider=bedrock")).body).toMatchObject({
      delivery: "key",
      extra: { region: "us-east-1", secretAccessKey: SECRET_ACCESS_KEY },
    });
  });

  it("the gateway address uses APP_URL when set", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "gateway");
    const { member } = await tokens(db, cast);
    const saved = env.APP_URL;
    (env as { APP_URL?: string }).APP_URL = "https://byok.example.com/";
    try {
      expect((await call(member, "?provider=openai", "http://evil.example:1234")).body).toMatchObject({
        apiHost: `https://byok.example.com/api/v1/gateway/${credential.id}`,
      });
    } finally {
      (env as { APP_URL?: string }).APP_URL = saved;
    }
  });

  it("only owners and admins switch an org credential; the switch is logged and changes nothing else", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "gateway");
    const scope = { kind: "org", slug: cast.slug } as const;
    await expect(setDeliveryInScope(db, actorOf(cast.member), scope, credential.id, "key")).rejects.toMatchObject({ code: "forbidden" });
    await expect(setDeliveryInScope(db, actorOf(cast.outsider), scope, credential.id, "key")).rejects.toMatchObject({ code: "not_found" });
    const before = (await db.select().from(providerCredentials).where(eq(providerCredentials.id, credential.id)))[0]!;
    expect(before.delivery).toBe("gateway");
    await setDeliveryInScope(db, actorOf(cast.admin), scope, credential.id, "key");
    const after = (await db.select().from(providerCredentials).where(eq(providerCredentials.id, credential.id)))[0]!;
    expect(after).toEqual({ ...before, delivery: "key" });
    const { events } = await listEvents(db, { orgId: cast.orgId }, { kind: "credential.delivery_changed" });
    expect(events.map((e) => ({ target: e.targetId, details: e.details }))).toEqual([
      { target: credential.id, details: { provider: "openai", delivery: "key" } },
    ]);
    // Setting the same mode again records nothing.
    await setDeliveryInScope(db, actorOf(cast.owner), scope, credential.id, "key");
    expect((await listEvents(db, { orgId: cast.orgId }, { kind: "credential.delivery_changed" })).events).toHaveLength(1);
  });

  it("a personal credential is switched by its owner only", async () => {
    const db = await getDb();
    const owner = await createTestUser(db, "Solo");
    const other = await createTestUser(db, "Other");
    const parsed = parseCredentialForm(
      cardForm({
        provider: "openai",
        apiHost: host("openai"),
        model: "gpt-4o",
        fields: { apiKey: "sk-proj-valid-solo-xyzxyzxyzxyzxyzxy" },
      }),
    );
    if (!parsed.ok) throw new Error("form");
    const saved = await saveInScope(db, actorOf(owner), { kind: "user" }, parsed);
    if (!saved.saved) throw new Error("not saved");
    await expect(setDeliveryInScope(db, actorOf(other), { kind: "user" }, saved.credential.id, "gateway")).rejects.toMatchObject({
      code: "not_found",
    });
    await setDeliveryInScope(db, actorOf(owner), { kind: "user" }, saved.credential.id, "gateway");
    const { token } = await createTokenInScope(db, actorOf(owner), { kind: "user" }, { name: "p", expiresInDays: "never" });
    const res = await call(token);
    expect(res.body).toMatchObject({ delivery: "gateway", apiKey: token, source: { type: "user" } });
    expect(res.text).not.toContain("sk-proj-valid-solo");
  });
});
