/**
 * The access rule is written once (lib/credentials/access.ts): what the Models pages list as
 * usable, what config resolution answers with, and what tokenMayUseSql admits (the gateway's
 * check) must agree, for every role, share mode, removed member, personal, scoped and org tokens.
 */
import { describe, expect, it } from "vitest";
import { getDb, preparedQuery, type Database } from "@/db/client";
import type { PublicUser } from "@/lib/auth/users";
import { resolveAgentConfig } from "@/lib/config/resolve";
import { createOrganization } from "@/lib/orgs/organizations";
import { listSharedWithUser, setCredentialSharing } from "@/lib/orgs/sharing";
import { orgOwner, userOwner, type Owner } from "@/lib/owners";
import type { ProviderId } from "@/lib/providers/types";
import { createTokenInScope } from "@/lib/tokens/service";
import { hashToken } from "@/lib/tokens/token-format";
import { actorOf, addMember, makeCast } from "@/test/orgs";
import { tokenMayUseSql } from "./access";
import { listCredentials, upsertCredential } from "./queries";

const PROVIDERS: ProviderId[] = ["openai", "anthropic", "deepseek", "zai", "gemini"];

async function store(db: Database, owner: Owner, provider: ProviderId, actor: PublicUser) {
  const credential = await upsertCredential(db, owner, {
    provider,
    model: "m",
    apiHost: "https://api.example.test/v1",
    extra: {},
    parameters: null,
    secrets: { apiKey: `sk-test-${provider}-xyzxyzxyzxyz` },
    secretHints: { apiKey: "sk-…xyz" },
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(),
    actorUserId: actor.id,
  });
  return credential.id;
}

async function tokenId(token: string): Promise<string> {
  const [row] = await preparedQuery("select id from agent_tokens where token_hash = $1", [hashToken(token)]);
  return row!.id as string;
}

/** Credential ids (among `ids`) tokenMayUseSql admits for the token. */
async function admitted(token: string, ids: string[]): Promise<string[]> {
  const rows = await preparedQuery(
    `select c.id from provider_credentials c, agent_tokens t where t.id = $1 and c.id in (select value::uuid from jsonb_array_elements_text($2::jsonb)) and ${tokenMayUseSql("c", "t")}`,
    [await tokenId(token), JSON.stringify(ids)],
  );
  return rows.map((r) => r.id as string).sort();
}

/** Credential ids the token resolves with ?provider=, one per provider that answers. */
async function resolved(token: string): Promise<string[]> {
  const out: string[] = [];
  for (const provider of PROVIDERS) {
    const answer = await (async () => resolveAgentConfig(preparedQuery, token, provider))().catch(() => null);
    if (answer) out.push(answer.credentialId);
  }
  return out.sort();
}

describe("who may use a credential: one rule for the pages, resolution and the gateway", () => {
  it("agrees for owners, admins, members (selected or not), removed members, outsiders, personal, scoped and org tokens", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const org = orgOwner(cast.orgId);
    const ownerActor = actorOf(cast.owner);
    // openai: all members; anthropic: selected with the member; deepseek: selected, nobody; zai: selected with the target.
    const openai = await store(db, org, "openai", cast.owner);
    const anthropic = await store(db, org, "anthropic", cast.owner);
    const deepseek = await store(db, org, "deepseek", cast.owner);
    const zai = await store(db, org, "zai", cast.owner);
    await setCredentialSharing(db, ownerActor, cast.slug, anthropic, { mode: "selected", userIds: [cast.member.id] });
    await setCredentialSharing(db, ownerActor, cast.slug, deepseek, { mode: "selected", userIds: [] });
    await setCredentialSharing(db, ownerActor, cast.slug, zai, { mode: "selected", userIds: [cast.target.id] });
    // The member's own Gemini key; nobody else may use it.
    const memberGemini = await store(db, userOwner(cast.member.id), "gemini", cast.member);
    const all = [openai, anthropic, deepseek, zai, memberGemini];

    const expected: Record<string, string[]> = {
      owner: [openai, anthropic, deepseek, zai],
      admin: [openai, anthropic, deepseek, zai],
      member: [openai, anthropic, memberGemini],
      target: [openai, zai],
      removed: [],
      outsider: [],
    };
    for (const [role, ids] of Object.entries(expected)) {
      const user = cast[role as "owner" | "admin" | "member" | "target" | "removed" | "outsider"];
      const listed = [
        ...(await listSharedWithUser(db, user.id)).map((c) => c.id),
        ...(await listCredentials(db, userOwner(user.id))).map((c) => c.id),
      ].filter((id) => all.includes(id));
      const { token } = await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: role, expiresInDays: "never" });
      expect({ role, listed: listed.sort() }).toEqual({ role, listed: [...ids].sort() });
      expect({ role, resolved: await resolved(token) }).toEqual({ role, resolved: [...ids].sort() });
      expect({ role, admitted: await admitted(token, all) }).toEqual({ role, admitted: [...ids].sort() });
    }

    // An org token: the org's own credentials, as its Models page lists them.
    const { token: orgToken } = await createTokenInScope(
      db,
      ownerActor,
      { kind: "org", slug: cast.slug },
      { name: "ci", expiresInDays: "never" },
    );
    const orgListed = (await listCredentials(db, org)).map((c) => c.id).sort();
    expect(orgListed).toEqual([openai, anthropic, deepseek, zai].sort());
    expect(await resolved(orgToken)).toEqual(orgListed);
    expect(await admitted(orgToken, all)).toEqual(orgListed);

    // A scoped token: with a second org, the member's token scoped to one resolves that org's
    // credentials (and their own) only; the rule admits exactly what the pages list.
    const second = await createOrganization(db, actorOf(cast.outsider), { name: `Second ${Date.now()}` });
    await addMember(db, second.id, cast.member, "member");
    const secondOpenai = await store(db, orgOwner(second.id), "openai", cast.outsider);
    const secondDeepseek = await store(db, orgOwner(second.id), "deepseek", cast.outsider);
    const everything = [...all, secondOpenai, secondDeepseek];
    const { token: scoped } = await createTokenInScope(
      db,
      actorOf(cast.member),
      { kind: "user" },
      { name: "scoped", expiresInDays: "never", scopeOrg: second.slug },
    );
    const memberListed = [
      ...(await listSharedWithUser(db, cast.member.id)).map((c) => c.id),
      ...(await listCredentials(db, userOwner(cast.member.id))).map((c) => c.id),
    ].filter((id) => everything.includes(id));
    expect(await admitted(scoped, everything)).toEqual(memberListed.sort());
    expect(await resolved(scoped)).toEqual([memberGemini, secondOpenai, secondDeepseek].sort());
    // Every resolved credential is one the pages list and the rule admits.
    for (const id of await resolved(scoped)) expect(memberListed).toContain(id);
  });
});
