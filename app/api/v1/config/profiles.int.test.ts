/**
 * `GET /api/v1/config?profile=<name>`: which profile a token gets (its user's own, else the scope
 * org's; an org token its org's), the answer is the first usable entry and `fallbacks` the rest in
 * order, Invalid and no-longer-allowed entries are skipped, and delivery applies per entry.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { providerCredentials } from "@/db/schema";
import { parseCredentialForm } from "@/lib/credentials/form";
import { saveInScope, setDefaultInScope } from "@/lib/credentials/service";
import { removeMember } from "@/lib/orgs/members";
import { createOrganization } from "@/lib/orgs/organizations";
import { setCredentialSharing } from "@/lib/orgs/sharing";
import type { PublicUser } from "@/lib/auth/users";
import { addProfileEntry, createProfile } from "@/lib/profiles/service";
import { createTokenInScope } from "@/lib/tokens/service";
import { cardForm, configRequest, withEmulator } from "@/test/helpers";
import { actorOf, addMember, makeCast, saveOrgCredential } from "@/test/orgs";
import { GET } from "./route";

const { host } = withEmulator();
const OWN_OPENAI = "sk-proj-valid-own-openai-xyzxyzxyzxyz";
const OWN_DEEPSEEK = "sk-valid-own-deepseek-xyzxyzxyzxyzxyz";
const ORG_KEY = "sk-proj-valid-org-shared-xyzxyzxyzxyz";

async function call(token: string, query: string) {
  const res = await GET(configRequest(`Bearer ${token}`, query));
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

async function savePersonal(db: Database, user: PublicUser, provider: string, key: string, model: string) {
  const parsed = parseCredentialForm(cardForm({ provider, apiHost: host(provider), model, fields: { apiKey: key } }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  const result = await saveInScope(db, actorOf(user), { kind: "user" }, parsed);
  if (!result.saved) throw new Error(`not saved: ${result.report.title}`);
  return result.credential;
}

const personalToken = async (db: Database, user: PublicUser, scopeOrg?: string) =>
  (await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "agent", expiresInDays: "never", scopeOrg })).token;

async function profile(
  db: Database,
  user: PublicUser,
  name: string,
  entries: { credentialId: string; model: string; parameters?: Record<string, unknown> }[],
  slug?: string,
) {
  const scope = slug ? ({ kind: "org", slug } as const) : ({ kind: "user" } as const);
  const created = await createProfile(db, actorOf(user), scope, name);
  for (const entry of entries) await addProfileEntry(db, actorOf(user), scope, created.id, entry);
  return created;
}

describe("?profile= resolution", () => {
  it("answers the first entry with the rest as fallbacks, in order, each with the entry's model and parameter overrides", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const openai = await savePersonal(db, cast.outsider, "openai", OWN_OPENAI, "gpt-4o");
    const deepseek = await savePersonal(db, cast.outsider, "deepseek", OWN_DEEPSEEK, "deepseek-chat");
    await profile(db, cast.outsider, "coder", [
      { credentialId: deepseek.id, model: "deepseek-reasoner", parameters: { temperature: 0.1 } },
      { credentialId: openai.id, model: "gpt-4o-mini" },
      { credentialId: openai.id, model: "gpt-4o" },
    ]);
    const token = await personalToken(db, cast.outsider);
    const res = await call(token, "?profile=coder");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      profile: "coder",
      provider: "deepseek",
      model: "deepseek-reasoner",
      delivery: "key",
      apiKey: OWN_DEEPSEEK,
      apiHost: host("deepseek"),
      parameters: { temperature: 0.1 },
      source: { type: "user", id: cast.outsider.id, via: "profile" },
    });
    const fallbacks = res.body.fallbacks as Record<string, unknown>[];
    expect(fallbacks.map((f) => [f.provider, f.model, f.apiKey])).toEqual([
      ["openai", "gpt-4o-mini", OWN_OPENAI],
      ["openai", "gpt-4o", OWN_OPENAI],
    ]);
    // Fallbacks have the answer's shape, without nesting.
    expect(Object.keys(fallbacks[0]!).sort()).toEqual(
      Object.keys(res.body)
        .filter((k) => k !== "profile" && k !== "fallbacks")
        .sort(),
    );
    // What a check learned about the credential's own model does not carry over to another model.
    expect(fallbacks[0]!.capabilities).toEqual({ tools: "unknown" });

    // Without ?profile= nothing changes: no default yet.
    expect((await call(token, "")).body).toMatchObject({ error: { code: "no_default_model" } });
    await setDefaultInScope(db, actorOf(cast.outsider), { kind: "user" }, openai.id);
    const plain = await call(token, "");
    expect(plain.body).toMatchObject({ provider: "openai", model: "gpt-4o", source: { via: "user_default" } });
    expect(plain.body).not.toHaveProperty("fallbacks");
    expect(plain.body).not.toHaveProperty("profile");
  });

  it("skips Invalid entries: the next usable one answers, and an all-invalid profile is 404 no_usable_model", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const openai = await savePersonal(db, cast.outsider, "openai", OWN_OPENAI, "gpt-4o");
    const deepseek = await savePersonal(db, cast.outsider, "deepseek", OWN_DEEPSEEK, "deepseek-chat");
    await profile(db, cast.outsider, "search", [
      { credentialId: openai.id, model: "gpt-4o-mini" },
      { credentialId: deepseek.id, model: "deepseek-chat" },
    ]);
    const token = await personalToken(db, cast.outsider);
    await db.update(providerCredentials).set({ status: "invalid" }).where(eq(providerCredentials.id, openai.id));
    const res = await call(token, "?profile=search");
    expect(res.body).toMatchObject({ profile: "search", provider: "deepseek", fallbacks: [] });
    expect(res.text).not.toContain(OWN_OPENAI);

    await db.update(providerCredentials).set({ status: "invalid" }).where(eq(providerCredentials.id, deepseek.id));
    const none = await call(token, "?profile=search");
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error: { code: "no_usable_model" } });
    expect((await call(token, "?profile=empty")).body).toMatchObject({ error: { code: "profile_not_found" } });
    await profile(db, cast.outsider, "empty", []);
    expect((await call(token, "?profile=empty")).body).toMatchObject({ error: { code: "no_usable_model" } });
  });

  it("the user's own profile wins; else the scope org's; an org token gets its org's; nobody else's", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const org = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "key");
    await profile(db, cast.admin, "coder", [{ credentialId: org.id, model: "gpt-4o-mini" }], cast.slug);

    const member = await personalToken(db, cast.member);
    expect((await call(member, "?profile=coder")).body).toMatchObject({
      model: "gpt-4o-mini",
      apiKey: ORG_KEY,
      source: { type: "org", via: "profile" },
    });
    const orgToken = (
      await createTokenInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, { name: "ci", expiresInDays: "never" })
    ).token;
    expect((await call(orgToken, "?profile=coder")).body).toMatchObject({ model: "gpt-4o-mini", apiKey: ORG_KEY });

    // The member's own "coder" takes precedence over the org's.
    const own = await savePersonal(db, cast.member, "deepseek", OWN_DEEPSEEK, "deepseek-chat");
    await profile(db, cast.member, "coder", [{ credentialId: own.id, model: "deepseek-chat" }]);
    expect((await call(member, "?profile=coder")).body).toMatchObject({
      provider: "deepseek",
      source: { type: "user", id: cast.member.id },
    });
    // …but never reaches another user's tokens, nor the org token.
    expect((await call(orgToken, "?profile=coder")).body).toMatchObject({ provider: "openai" });
    const admin = await personalToken(db, cast.admin);
    expect((await call(admin, "?profile=coder")).body).toMatchObject({ provider: "openai", source: { type: "org" } });
    // An outsider (no org) has no "coder".
    const outsider = await personalToken(db, cast.outsider);
    expect((await call(outsider, "?profile=coder")).body).toMatchObject({ error: { code: "profile_not_found" } });

    // With a second org, an unscoped token no longer falls back to either; a scoped one does.
    const second = await createOrganization(db, actorOf(cast.outsider), { name: `Second ${Date.now()}` });
    await addMember(db, second.id, cast.admin, "member");
    expect((await call(admin, "?profile=coder")).body).toMatchObject({ error: { code: "profile_not_found" } });
    expect((await call(await personalToken(db, cast.admin, cast.slug), "?profile=coder")).status).toBe(200);
  });

  it("a removed member loses the org's entries at once: in the org's profile and in their own", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const org = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "key");
    const own = await savePersonal(db, cast.target, "deepseek", OWN_DEEPSEEK, "deepseek-chat");
    await profile(db, cast.target, "mine", [
      { credentialId: org.id, model: "gpt-4o" },
      { credentialId: own.id, model: "deepseek-chat" },
    ]);
    await profile(db, cast.owner, "team", [{ credentialId: org.id, model: "gpt-4o" }], cast.slug);
    const token = await personalToken(db, cast.target);
    expect((await call(token, "?profile=mine")).body).toMatchObject({ provider: "openai", fallbacks: [{ provider: "deepseek" }] });
    expect((await call(token, "?profile=team")).status).toBe(200);

    await removeMember(db, actorOf(cast.owner), cast.slug, cast.target.id);
    const mine = await call(token, "?profile=mine");
    expect(mine.body).toMatchObject({ provider: "deepseek", fallbacks: [] });
    expect(mine.text).not.toContain(ORG_KEY);
    expect((await call(token, "?profile=team")).body).toMatchObject({ error: { code: "profile_not_found" } });
  });

  it("a credential shared with selected members is skipped for the others", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const shared = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "key");
    const other = await saveOrgCredential(db, cast.owner, cast.slug, host("deepseek"), OWN_DEEPSEEK, "deepseek", "deepseek-chat", "key");
    await profile(
      db,
      cast.owner,
      "team",
      [
        { credentialId: shared.id, model: "gpt-4o" },
        { credentialId: other.id, model: "deepseek-chat" },
      ],
      cast.slug,
    );
    await setCredentialSharing(db, actorOf(cast.owner), cast.slug, shared.id, { mode: "selected", userIds: [cast.target.id] });
    const member = await call(await personalToken(db, cast.member), "?profile=team");
    expect(member.body).toMatchObject({ provider: "deepseek", fallbacks: [] });
    expect(member.text).not.toContain(ORG_KEY);
    expect((await call(await personalToken(db, cast.target), "?profile=team")).body).toMatchObject({
      provider: "openai",
      fallbacks: [{ provider: "deepseek" }],
    });
  });

  it("delivery applies per entry: a gateway-mode entry points at the gateway with the agent's token, a key-mode one carries its key", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const gateway = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY, "openai", "gpt-4o", "gateway");
    const keyed = await saveOrgCredential(db, cast.owner, cast.slug, host("deepseek"), OWN_DEEPSEEK, "deepseek", "deepseek-chat", "key");
    await profile(
      db,
      cast.owner,
      "mixed",
      [
        { credentialId: gateway.id, model: "gpt-4o" },
        { credentialId: keyed.id, model: "deepseek-chat" },
      ],
      cast.slug,
    );
    const token = await personalToken(db, cast.member);
    const res = await call(token, "?profile=mixed");
    expect(res.body).toMatchObject({
      delivery: "gateway",
      apiHost: expect.stringMatching(new RegExp(`^http://localhost(:\\d+)?/api/v1/gateway/${gateway.id}$`)),
      apiKey: token,
      fallbacks: [{ delivery: "key", apiKey: OWN_DEEPSEEK, apiHost: host("deepseek") }],
    });
    expect(res.text).not.toContain(ORG_KEY);
  });

  it("checks the query: a malformed name, a repeated one, or profile with provider are 400 invalid_request; an unknown token 401", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const token = await personalToken(db, cast.outsider);
    for (const query of [
      "?profile=Coder",
      "?profile=a%0Ab",
      "?profile=",
      `?profile=${"a".repeat(41)}`,
      "?profile=a&profile=b",
      "?profile=a&provider=openai",
    ]) {
      const res = await call(token, query);
      expect({ query, status: res.status, code: (res.body.error as { code: string }).code }).toEqual({
        query,
        status: 400,
        code: "invalid_request",
      });
    }
    expect((await call(`byok_${"x".repeat(43)}`, "?profile=coder")).status).toBe(401);
  });
});
