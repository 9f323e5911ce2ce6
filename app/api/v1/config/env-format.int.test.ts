/**
 * GET /api/v1/config?format=env against a real database: dotenv text with the same values as the
 * JSON answer (key and gateway mode, ?provider= too), a 400 for an unknown or repeated format, a
 * 422 naming the variable when a stored value cannot be a dotenv value, and JSON unchanged.
 */
import dotenv from "dotenv";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { flushConfigFetches } from "@/lib/audit/config-fetches";
import { listEvents } from "@/lib/audit/events";
import { providerCredentials } from "@/db/schema";
import { parseCredentialForm } from "@/lib/credentials/form";
import { setUserDefault, upsertCredential } from "@/lib/credentials/queries";
import { saveProviderCredential } from "@/lib/credentials/save";
import { orgOwner, userOwner } from "@/lib/owners";
import { createToken } from "@/lib/tokens/queries";
import { createTokenInScope } from "@/lib/tokens/service";
import { CLIENT_ADDRESS_HEADER, stampValue } from "@/lib/client-address/stamp";
import { cardForm, createTestUser, withEmulator } from "@/test/helpers";
import { actorOf, makeCast, saveOrgCredential } from "@/test/orgs";
import { GET } from "./route";

const { host } = withEmulator();
const KEY = "sk-proj-envKEYabcdefghijklmnopqrstuvwxyz01234567wxYZ";

async function userWithDefault(db: Database) {
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
  const { token } = await createToken(db, userOwner(user.id), { name: "agent", expiresInDays: "never", actorUserId: user.id });
  return { user, token, credentialId: saved.credential.id };
}

const ORIGIN = "http://byok.internal:8080";

async function call(token: string, query = "") {
  const headers = new Headers({
    [CLIENT_ADDRESS_HEADER]: stampValue("203.0.113.78"),
    authorization: `Bearer ${token}`,
    host: new URL(ORIGIN).host,
  });
  const res = await GET(new NextRequest(`${ORIGIN}/api/v1/config${query}`, { headers }));
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe("GET /api/v1/config?format=env", () => {
  it("key mode: text/plain, never cached, the JSON answer's values as dotenv lines", async () => {
    const db = await getDb();
    const { token } = await userWithDefault(db);
    const res = await call(token, "?format=env");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.text.split("\n")[0]).toBe("# BYOK: OpenAI · gpt-4o-mini · delivery key");
    expect(dotenv.parse(res.text)).toEqual({
      BYOK_PROVIDER: "openai",
      BYOK_MODEL: "gpt-4o-mini",
      BYOK_DELIVERY: "key",
      BYOK_API_HOST: host("openai"),
      BYOK_API_KEY: KEY,
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: host("openai"),
    });
    // ?provider= and an explicit ?format=json work as before.
    expect(dotenv.parse((await call(token, "?provider=openai&format=env")).text)).toMatchObject({ OPENAI_API_KEY: KEY });
    const json = await call(token, "?format=json");
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(json.text)).toMatchObject({ provider: "openai", apiKey: KEY, model: "gpt-4o-mini" });
    expect(JSON.parse((await call(token)).text)).toEqual(JSON.parse(json.text));
  });

  it("gateway mode: the gateway address and the agent's own token, never the stored key", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const orgKey = "sk-proj-valid-env-gateway-xyzxyzxyzxyz";
    const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), orgKey, "openai", "gpt-4o", "gateway");
    const { token } = await createTokenInScope(
      db,
      actorOf(cast.owner),
      { kind: "org", slug: cast.slug },
      { name: "ci", expiresInDays: "never" },
    );
    const res = await call(token, "?format=env&provider=openai");
    expect(res.status).toBe(200);
    const gateway = `${ORIGIN}/api/v1/gateway/${credential.id}`;
    expect(dotenv.parse(res.text)).toEqual({
      BYOK_PROVIDER: "openai",
      BYOK_MODEL: "gpt-4o",
      BYOK_DELIVERY: "gateway",
      BYOK_API_HOST: gateway,
      BYOK_API_KEY: token,
      OPENAI_API_KEY: token,
      OPENAI_BASE_URL: gateway,
    });
    expect(res.text).not.toContain(orgKey);
    expect(res.text).not.toContain(host("openai"));
  });

  it("Bedrock in gateway mode: bearer agent token and the gateway endpoint, no AWS secret", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const secretAccessKey = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYzz";
    const credential = await upsertCredential(db, orgOwner(cast.orgId), {
      provider: "bedrock",
      model: "anthropic.claude-3-haiku",
      apiHost: "https://bedrock-runtime.eu-west-1.amazonaws.com",
      extra: { region: "eu-west-1" },
      parameters: null,
      secrets: { accessKeyId: "AKIAEXAMPLEKEYID1234", secretAccessKey },
      secretHints: {},
      status: "valid",
      statusCode: "valid",
      statusDetail: null,
      validatedAt: new Date(),
      actorUserId: cast.owner.id,
    });
    const { token } = await createTokenInScope(
      db,
      actorOf(cast.owner),
      { kind: "org", slug: cast.slug },
      { name: "ci", expiresInDays: "never" },
    );
    const res = await call(token, "?provider=bedrock&format=env");
    expect(res.status).toBe(200);
    expect(dotenv.parse(res.text)).toMatchObject({
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `${ORIGIN}/api/v1/gateway/${credential.id}`,
      AWS_BEARER_TOKEN_BEDROCK: token,
    });
    expect(res.text).not.toMatch(/AKIAEXAMPLEKEYID1234|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    expect(res.text).not.toContain(secretAccessKey);
  });

  it("400 for an unknown or repeated format, as JSON", async () => {
    const db = await getDb();
    const { token } = await userWithDefault(db);
    for (const query of ["?format=yaml", "?format=ENV", "?format=", "?format=env&format=env", "?format=json&format=env"]) {
      const res = await call(token, query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("format") } });
    }
  });

  it("422 naming the variable, never the value, when a stored model has a line break; parameters are always representable", async () => {
    const db = await getDb();
    const { user, token, credentialId } = await userWithDefault(db);
    const parameters = { stop: ["'", "\n"], note: "it's $(id)" };
    await db.update(providerCredentials).set({ parameters }).where(eq(providerCredentials.id, credentialId));
    const withParameters = await call(token, "?format=env");
    expect(withParameters.status).toBe(200);
    expect(JSON.parse(dotenv.parse(withParameters.text).BYOK_PARAMETERS!)).toEqual(parameters);

    await db.update(providerCredentials).set({ model: "gpt-4o\nEVIL='x'" }).where(eq(providerCredentials.id, credentialId));
    const res = await call(token, "?format=env");
    expect(res.status).toBe(422);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = JSON.parse(res.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unrepresentable_value");
    expect(body.error.message).toContain("BYOK_MODEL");
    expect(body.error.message).toContain("line break");
    expect(body.error.message).toContain("JSON");
    expect(res.text).not.toContain("EVIL");
    expect(res.text).not.toContain(KEY);
    // The JSON answer still carries the value exactly.
    expect(JSON.parse((await call(token)).text)).toMatchObject({ model: "gpt-4o\nEVIL='x'", parameters });
    // The activity log says the key was not handed out, and how.
    await flushConfigFetches();
    const { events } = await listEvents(db, { userId: user.id }, { kind: "config.fetched" });
    expect(events.map((e) => e.outcome).sort()).toEqual(["ok", "unrepresentable_value"]);
  });
});
