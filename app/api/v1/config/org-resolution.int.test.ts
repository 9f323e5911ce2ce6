/**
 * Resolution with organizations: shared credentials as personal defaults, org defaults as the
 * fallback, org tokens, and revocation taking effect on the very next request.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { flushConfigFetches } from "@/lib/audit/config-fetches";
import { listEvents } from "@/lib/audit/events";
import { setDefaultInScope } from "@/lib/credentials/service";
import { leaveOrganization, removeMember } from "@/lib/orgs/members";
import { listNotices } from "@/lib/orgs/revocation";
import { setCredentialSharing } from "@/lib/orgs/sharing";
import { createTokenInScope } from "@/lib/tokens/service";
import { configRequest, withEmulator } from "@/test/helpers";
import { createOrganization } from "@/lib/orgs/organizations";
import { actorOf, addMember, makeCast, saveOrgCredential } from "@/test/orgs";
import { GET } from "./route";

const { host } = withEmulator();
const ORG_KEY = "sk-proj-valid-shared-xyzxyzxyzxyzxyzx";

async function call(token: string, query = "", ip?: string) {
  const res = await GET(configRequest(`Bearer ${token}`, query, ip));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function setup() {
  const db = await getDb();
  const cast = await makeCast(db);
  const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"), ORG_KEY);
  const personal = async (user = cast.member, scopeOrg?: string) =>
    (await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "p", expiresInDays: "never", scopeOrg })).token;
  return { db, cast, credential, personal };
}

describe("resolution with organizations", () => {
  it("a member's personal default can be a shared org credential; the source names the org", async () => {
    const { db, cast, credential, personal } = await setup();
    await setDefaultInScope(db, actorOf(cast.member), { kind: "user" }, credential.id);
    const res = await call(await personal());
    expect(res).toMatchObject({ status: 200, body: { apiKey: ORG_KEY, source: { type: "org", id: cast.orgId, via: "user_default" } } });
  });

  it("without a personal default, a personal token falls back to the org default (only org, or the scoped one)", async () => {
    const { db, cast, credential, personal } = await setup();
    const token = await personal();
    expect((await call(token)).body).toMatchObject({ error: { code: "no_default_model" } });
    await setDefaultInScope(db, actorOf(cast.admin), { kind: "org", slug: cast.slug }, credential.id);
    expect((await call(token)).body).toMatchObject({ apiKey: ORG_KEY, source: { type: "org", via: "org_default" } });
    // With two orgs, only the token's scope org falls back.
    const second = await createOrganization(db, actorOf(cast.target), { name: "Second Org" });
    await addMember(db, second.id, cast.member, "member");
    expect((await call(token)).body).toMatchObject({ error: { code: "no_default_model" } });
    const scoped = await personal(cast.member, cast.slug);
    expect((await call(scoped)).status).toBe(200);
  });

  it("an org token resolves the org default and ?provider= the org's credential", async () => {
    const { db, cast, credential } = await setup();
    const { token } = await createTokenInScope(
      db,
      actorOf(cast.admin),
      { kind: "org", slug: cast.slug },
      { name: "ci", expiresInDays: "never" },
    );
    expect((await call(token)).body).toMatchObject({ error: { code: "no_default_model" } });
    expect((await call(token, "?provider=openai")).body).toMatchObject({ apiKey: ORG_KEY, source: { type: "org", via: "provider" } });
    await setDefaultInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, credential.id);
    expect((await call(token)).body).toMatchObject({ apiKey: ORG_KEY, source: { type: "org", id: cast.orgId, via: "org_default" } });
  });

  it("?provider= with a personal token: the scope org only; without one, 409 ambiguous_provider when several orgs could answer", async () => {
    const { db, cast, credential, personal } = await setup();
    // A second organization of the member's, with its own OpenAI credential shared with everyone.
    const other = await createOrganization(db, actorOf(cast.outsider), { name: `Globex ${Date.now()}` });
    await addMember(db, other.id, cast.member, "member");
    const OTHER_KEY = "sk-proj-valid-globex-xyzxyzxyzxyzxyzx";
    await saveOrgCredential(db, cast.outsider, other.slug, host("openai"), OTHER_KEY);

    const unscoped = await call(await personal(cast.member), "?provider=openai");
    expect(unscoped.status).toBe(409);
    const orgs = [cast.slug, other.slug].sort();
    expect(unscoped.body).toEqual({ error: { code: "ambiguous_provider", message: expect.stringContaining(orgs.join(", ")), orgs } });
    expect(JSON.stringify(unscoped.body)).not.toMatch(/sk-proj/);

    const scopedToOther = await call(await personal(cast.member, other.slug), "?provider=openai");
    expect(scopedToOther.body).toMatchObject({ apiKey: OTHER_KEY, source: { type: "org", id: other.id, via: "provider" } });
    const scopedToFirst = await call(await personal(cast.member, cast.slug), "?provider=openai");
    expect(scopedToFirst.body).toMatchObject({ apiKey: ORG_KEY, source: { type: "org", id: cast.orgId, via: "provider" } });

    // A scoped token never reaches into the user's other organizations.
    await saveOrgCredential(
      db,
      cast.outsider,
      other.slug,
      host("anthropic"),
      "sk-ant-valid-globex-xyzxyzxyzxyzxyzxyz",
      "anthropic",
      "claude-sonnet-4-5",
    );
    expect((await call(await personal(cast.member, cast.slug), "?provider=anthropic")).body).toMatchObject({
      error: { code: "provider_not_configured" },
    });
    // Only one org could answer: no ambiguity.
    expect((await call(await personal(cast.member), "?provider=anthropic")).body).toMatchObject({ source: { id: other.id } });
    // Once the member loses one of them, the other answers.
    await removeMember(db, actorOf(cast.outsider), other.slug, cast.member.id);
    expect((await call(await personal(cast.member), "?provider=openai")).body).toMatchObject({ source: { id: cast.orgId } });
    expect(credential.id).toBeTruthy();
  });

  it("removing a member takes effect on their very next request, and clears their default with a notice", async () => {
    const { db, cast, credential, personal } = await setup();
    await setDefaultInScope(db, actorOf(cast.member), { kind: "user" }, credential.id);
    const token = await personal();
    expect((await call(token)).status).toBe(200);
    await removeMember(db, actorOf(cast.admin), cast.slug, cast.member.id);
    const after = await call(token);
    expect(after).toMatchObject({ status: 404, body: { error: { code: "no_default_model" } } });
    expect(JSON.stringify(after.body)).not.toContain(ORG_KEY);
    expect((await call(token, "?provider=openai")).status).toBe(404);
    const notices = await listNotices(db, cast.member.id);
    expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/Your default model \(OpenAI from .+\) was cleared/)]);
  });

  it("narrowing a share, or leaving, revokes at once", async () => {
    const { db, cast, credential, personal } = await setup();
    await setDefaultInScope(db, actorOf(cast.member), { kind: "user" }, credential.id);
    await setDefaultInScope(db, actorOf(cast.target), { kind: "user" }, credential.id);
    const memberToken = await personal(cast.member);
    const targetToken = await personal(cast.target);
    await setCredentialSharing(db, actorOf(cast.owner), cast.slug, credential.id, { mode: "selected", userIds: [cast.target.id] });
    expect((await call(memberToken)).status).toBe(404);
    expect((await call(targetToken)).body).toMatchObject({ apiKey: ORG_KEY });
    await leaveOrganization(db, actorOf(cast.target), cast.slug);
    expect((await call(targetToken)).status).toBe(404);
    // Admins keep access to what they manage.
    await setDefaultInScope(db, actorOf(cast.admin), { kind: "user" }, credential.id);
    expect((await call(await personal(cast.admin))).status).toBe(200);
  });

  it("config fetches are logged, coalesced per token and minute, without secrets", async () => {
    const { db, cast, credential } = await setup();
    await setDefaultInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, credential.id);
    const { token, view } = await createTokenInScope(
      db,
      actorOf(cast.admin),
      { kind: "org", slug: cast.slug },
      { name: "busy", expiresInDays: "never" },
    );
    for (let i = 0; i < 5; i++) await call(token, "", "198.51.100.7");
    await flushConfigFetches();
    await call(token, "", "198.51.100.7");
    await flushConfigFetches();
    const { events } = await listEvents(db, { orgId: cast.orgId }, { kind: "config.fetched" });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorTokenId: view.id, outcome: "ok", count: 6, targetId: credential.id, actorIp: "198.51.100.7" });
    expect(JSON.stringify(events)).not.toContain(ORG_KEY);
  });

  it("the same token used from a second address in the same minute is a second entry, with that address", async () => {
    const { db, cast, credential } = await setup();
    await setDefaultInScope(db, actorOf(cast.owner), { kind: "org", slug: cast.slug }, credential.id);
    const { token } = await createTokenInScope(
      db,
      actorOf(cast.admin),
      { kind: "org", slug: cast.slug },
      { name: "leaked", expiresInDays: "never" },
    );
    await call(token, "", "198.51.100.7");
    await call(token, "", "192.0.2.66");
    await call(token, "", "198.51.100.7");
    await flushConfigFetches();
    const { events } = await listEvents(db, { orgId: cast.orgId }, { kind: "config.fetched" });
    // Summed per address: a minute boundary between the calls splits rows, not addresses.
    const byIp: Record<string, number> = {};
    for (const e of events) byIp[e.actorIp ?? "-"] = (byIp[e.actorIp ?? "-"] ?? 0) + e.count;
    expect(byIp).toEqual({ "198.51.100.7": 2, "192.0.2.66": 1 });
  });
});
