/**
 * The profile service against a real database: names, the five-entry cap, which credentials a
 * profile may hold, who may edit org profiles, and positions staying 0…n-1 through moves,
 * removals, concurrent edits and credential removal.
 */
import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { modelProfileEntries, providerCredentials } from "@/db/schema";
import { listEvents } from "@/lib/audit/events";
import type { PublicUser } from "@/lib/auth/users";
import { parseCredentialForm } from "@/lib/credentials/form";
import { removeInScope, saveInScope, type CredentialScope } from "@/lib/credentials/service";
import { createOrganization } from "@/lib/orgs/organizations";
import { setCredentialSharing } from "@/lib/orgs/sharing";
import { cardForm, createTestUser, withEmulator } from "@/test/helpers";
import { actorOf, makeCast, saveOrgCredential, type Cast } from "@/test/orgs";
import {
  addProfileEntry,
  createProfile,
  deleteProfile,
  loadProfilesPage,
  moveProfileEntry,
  removeProfileEntry,
  renameProfile,
} from "./service";

const { host } = withEmulator();
const ME: CredentialScope = { kind: "user" };
const PROVIDERS = [
  ["openai", "gpt-4o-mini", "sk-proj-valid-personal-xyzxyzxyzxyzxyz"],
  ["deepseek", "deepseek-chat", "sk-valid-personal-xyzxyzxyzxyzxyzxyz"],
  ["qwen", "qwen-plus", "sk-valid-personal-xyzxyzxyzxyzxyzxyz"],
] as const;

let db: Database;
let cast: Cast;

beforeAll(async () => {
  db = await getDb();
  cast = await makeCast(db);
});

async function savePersonal(user: PublicUser, provider: string, model: string, key: string) {
  const parsed = parseCredentialForm(cardForm({ provider, apiHost: host(provider), model, fields: { apiKey: key } }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  const result = await saveInScope(db, actorOf(user), ME, parsed);
  if (!result.saved) throw new Error(`not saved: ${result.report.title}`);
  return result.credential;
}

/** A fresh user with their own OpenAI, DeepSeek and Qwen credentials. */
async function userWithCredentials() {
  const user = await createTestUser(db, "Profiler");
  const credentials = [];
  for (const [provider, model, key] of PROVIDERS) credentials.push(await savePersonal(user, provider, model, key));
  return { user, actor: actorOf(user), credentials };
}

async function positions(profileId: string) {
  return db
    .select({ id: modelProfileEntries.id, position: modelProfileEntries.position, model: modelProfileEntries.model })
    .from(modelProfileEntries)
    .where(eq(modelProfileEntries.profileId, profileId))
    .orderBy(asc(modelProfileEntries.position));
}

async function entriesOf(actor: { userId: string }, scope: CredentialScope, profileId: string) {
  const page = await loadProfilesPage(db, actor, scope);
  return page.profiles.find((p) => p.id === profileId)?.entries ?? [];
}

describe("profile names", () => {
  it("creates, renames, refuses a duplicate name in the same scope, deletes; each change is an activity entry", async () => {
    const { actor } = await userWithCredentials();
    const coder = await createProfile(db, actor, ME, "  Coder ");
    expect(coder.name).toBe("coder");
    await expect(createProfile(db, actor, ME, "coder")).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { name: expect.any(String) },
    });
    await expect(createProfile(db, actor, ME, "no spaces")).rejects.toMatchObject({
      code: "invalid_request",
      fieldErrors: { name: expect.any(String) },
    });

    const fast = await createProfile(db, actor, ME, "fast");
    await expect(renameProfile(db, actor, ME, fast.id, "coder")).rejects.toMatchObject({ code: "conflict" });
    await renameProfile(db, actor, ME, fast.id, "quick");
    expect((await loadProfilesPage(db, actor, ME)).profiles.map((p) => p.name)).toEqual(["coder", "quick"]);

    // Another user (and an org) may use the same name.
    const other = actorOf(await createTestUser(db, "Other"));
    await expect(createProfile(db, other, ME, "coder")).resolves.toMatchObject({ name: "coder" });
    await expect(createProfile(db, actorOf(cast.admin), { kind: "org", slug: cast.slug }, "coder")).resolves.toMatchObject({
      name: "coder",
    });
    // …but cannot touch this user's.
    await expect(deleteProfile(db, other, ME, coder.id)).rejects.toMatchObject({ code: "not_found" });

    await deleteProfile(db, actor, ME, coder.id);
    await expect(deleteProfile(db, actor, ME, coder.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await loadProfilesPage(db, actor, ME)).profiles.map((p) => p.name)).toEqual(["quick"]);
    const kinds = (await listEvents(db, { userId: actor.userId }, { limit: 20 })).events.map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith("profile."))).toEqual(
      expect.arrayContaining(["profile.created", "profile.updated", "profile.deleted"]),
    );
  });
});

describe("profile entries", () => {
  it("holds at most five models, in the order added", async () => {
    const { actor, credentials } = await userWithCredentials();
    const profile = await createProfile(db, actor, ME, "coder");
    const models = ["gpt-4o-mini", "gpt-4o", "deepseek-chat", "deepseek-reasoner", "qwen-plus"];
    for (const [i, model] of models.entries()) {
      await addProfileEntry(db, actor, ME, profile.id, { credentialId: credentials[i % 3]!.id, model });
    }
    await expect(addProfileEntry(db, actor, ME, profile.id, { credentialId: credentials[0]!.id, model: "gpt-4.1" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await positions(profile.id)).map((e) => [e.position, e.model])).toEqual(models.map((m, i) => [i, m]));
    const view = await entriesOf(actor, ME, profile.id);
    expect(view[0]).toMatchObject({ providerName: "OpenAI", ownerName: "Personal", model: "gpt-4o-mini", status: "valid", skipped: null });
    await expect(addProfileEntry(db, actor, ME, profile.id, { credentialId: "nope", model: "x" })).rejects.toMatchObject({
      fieldErrors: { credentialId: expect.any(String) },
    });
    const other = await createProfile(db, actor, ME, "other");
    await expect(addProfileEntry(db, actor, ME, other.id, { credentialId: credentials[0]!.id, model: " " })).rejects.toMatchObject({
      fieldErrors: { model: expect.any(String) },
    });
  });

  it("an org profile holds only the org's own credentials", async () => {
    const admin = actorOf(cast.admin);
    const orgScope: CredentialScope = { kind: "org", slug: cast.slug };
    const orgCredential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"));
    const personal = await savePersonal(cast.admin, "deepseek", "deepseek-chat", "sk-valid-admin-xyzxyzxyzxyzxyzxyzxyz");
    const other = await createOrganization(db, actorOf(cast.admin), { name: `Other ${Date.now()}` });
    const otherCredential = await saveOrgCredential(db, cast.admin, other.slug, host("openai"));
    const profile = await createProfile(db, admin, orgScope, "org-coder");

    for (const credentialId of [personal.id, otherCredential.id]) {
      await expect(addProfileEntry(db, admin, orgScope, profile.id, { credentialId, model: "m" })).rejects.toMatchObject({
        code: "invalid_request",
        fieldErrors: { credentialId: expect.any(String) },
      });
    }
    await addProfileEntry(db, admin, orgScope, profile.id, { credentialId: orgCredential.id, model: "gpt-4o" });
    const page = await loadProfilesPage(db, admin, orgScope);
    expect(page.options.map((o) => o.id)).toEqual([orgCredential.id]);
    expect(page.profiles.find((p) => p.id === profile.id)?.entries).toMatchObject([{ ownerName: expect.stringContaining("Acme") }]);
  });

  it("a personal profile holds org credentials shared with the user, not others; a lost share shows as skipped", async () => {
    const local = await makeCast(db);
    const shared = await saveOrgCredential(db, local.owner, local.slug, host("openai"));
    const hidden = await saveOrgCredential(
      db,
      local.owner,
      local.slug,
      host("deepseek"),
      "sk-valid-hidden-xyzxyzxyzxyzxyzxyzxy",
      "deepseek",
      "deepseek-chat",
    );
    await setCredentialSharing(db, actorOf(local.owner), local.slug, hidden.id, { mode: "selected", userIds: [] });
    const member = actorOf(local.member);
    const profile = await createProfile(db, member, ME, "coder");

    await expect(addProfileEntry(db, member, ME, profile.id, { credentialId: hidden.id, model: "deepseek-chat" })).rejects.toMatchObject({
      fieldErrors: { credentialId: expect.any(String) },
    });
    await addProfileEntry(db, member, ME, profile.id, { credentialId: shared.id, model: "gpt-4o" });
    let page = await loadProfilesPage(db, member, ME);
    expect(page.options.map((o) => o.id)).toContain(shared.id);
    expect(page.options.map((o) => o.id)).not.toContain(hidden.id);
    expect(page.profiles[0]!.entries).toMatchObject([{ credentialId: shared.id, skipped: null }]);

    await setCredentialSharing(db, actorOf(local.owner), local.slug, shared.id, { mode: "selected", userIds: [] });
    page = await loadProfilesPage(db, member, ME);
    expect(page.profiles[0]!.entries).toMatchObject([{ credentialId: shared.id, skipped: "not_shared" }]);

    await db.update(providerCredentials).set({ status: "invalid" }).where(eq(providerCredentials.id, shared.id));
    page = await loadProfilesPage(db, member, ME);
    expect(page.profiles[0]!.entries).toMatchObject([{ skipped: "invalid", status: "invalid" }]);
  });

  it("members read org profiles but may not change them; outsiders see nothing", async () => {
    const orgScope: CredentialScope = { kind: "org", slug: cast.slug };
    const credential = await saveOrgCredential(db, cast.owner, cast.slug, host("openai"));
    const profile = await createProfile(db, actorOf(cast.owner), orgScope, "shared-coder");
    const entry = await addProfileEntry(db, actorOf(cast.owner), orgScope, profile.id, { credentialId: credential.id, model: "gpt-4o" });
    const member = actorOf(cast.member);

    const page = await loadProfilesPage(db, member, orgScope);
    expect(page.canEdit).toBe(false);
    expect(page.profiles.find((p) => p.id === profile.id)?.entries).toMatchObject([{ id: entry.id, model: "gpt-4o" }]);
    expect((await loadProfilesPage(db, actorOf(cast.admin), orgScope)).canEdit).toBe(true);

    const forbidden = { code: "forbidden" };
    await expect(createProfile(db, member, orgScope, "mine")).rejects.toMatchObject(forbidden);
    await expect(renameProfile(db, member, orgScope, profile.id, "mine")).rejects.toMatchObject(forbidden);
    await expect(addProfileEntry(db, member, orgScope, profile.id, { credentialId: credential.id, model: "x" })).rejects.toMatchObject(
      forbidden,
    );
    await expect(moveProfileEntry(db, member, orgScope, profile.id, entry.id, "down")).rejects.toMatchObject(forbidden);
    await expect(removeProfileEntry(db, member, orgScope, profile.id, entry.id)).rejects.toMatchObject(forbidden);
    await expect(deleteProfile(db, member, orgScope, profile.id)).rejects.toMatchObject(forbidden);
    await expect(loadProfilesPage(db, actorOf(cast.outsider), orgScope)).rejects.toMatchObject({ code: "not_found" });
    expect(await positions(profile.id)).toHaveLength(1);
  });
});

describe("order", () => {
  async function profileOfFour() {
    const { actor, credentials } = await userWithCredentials();
    const profile = await createProfile(db, actor, ME, "coder");
    const ids: string[] = [];
    for (const model of ["a", "b", "c", "d"]) {
      ids.push((await addProfileEntry(db, actor, ME, profile.id, { credentialId: credentials[0]!.id, model })).id);
    }
    return { actor, profile, ids, credentials };
  }
  const order = async (profileId: string) => (await positions(profileId)).map((e) => e.model).join("");

  it("moves up and down keep positions 0…n-1; moving past either end changes nothing", async () => {
    const { actor, profile, ids } = await profileOfFour();
    await moveProfileEntry(db, actor, ME, profile.id, ids[0]!, "down");
    expect(await order(profile.id)).toBe("bacd");
    await moveProfileEntry(db, actor, ME, profile.id, ids[0]!, "down");
    expect(await order(profile.id)).toBe("bcad");
    await moveProfileEntry(db, actor, ME, profile.id, ids[3]!, "up");
    expect(await order(profile.id)).toBe("bcda");
    await moveProfileEntry(db, actor, ME, profile.id, ids[1]!, "up");
    expect(await order(profile.id)).toBe("bcda");
    await moveProfileEntry(db, actor, ME, profile.id, ids[0]!, "down");
    expect(await order(profile.id)).toBe("bcda");
    expect((await positions(profile.id)).map((e) => e.position)).toEqual([0, 1, 2, 3]);
    expect((await entriesOf(actor, ME, profile.id)).map((e) => e.model).join("")).toBe("bcda");
    await expect(moveProfileEntry(db, actor, ME, profile.id, crypto.randomUUID(), "up")).rejects.toMatchObject({ code: "not_found" });
  });

  it("remove renumbers the rest", async () => {
    const { actor, profile, ids } = await profileOfFour();
    await removeProfileEntry(db, actor, ME, profile.id, ids[1]!);
    expect((await positions(profile.id)).map((e) => [e.position, e.model])).toEqual([
      [0, "a"],
      [1, "c"],
      [2, "d"],
    ]);
    await expect(removeProfileEntry(db, actor, ME, profile.id, ids[1]!)).rejects.toMatchObject({ code: "not_found" });
  });

  it("concurrent moves and removes leave a valid order", async () => {
    const { actor, profile, ids } = await profileOfFour();
    await Promise.all([
      moveProfileEntry(db, actor, ME, profile.id, ids[0]!, "down"),
      moveProfileEntry(db, actor, ME, profile.id, ids[3]!, "up"),
      moveProfileEntry(db, actor, ME, profile.id, ids[1]!, "down"),
      moveProfileEntry(db, actor, ME, profile.id, ids[2]!, "up"),
      moveProfileEntry(db, actor, ME, profile.id, ids[0]!, "down"),
    ]);
    let rows = await positions(profile.id);
    expect(rows.map((e) => e.position)).toEqual([0, 1, 2, 3]);
    expect(rows.map((e) => e.model).sort()).toEqual(["a", "b", "c", "d"]);

    await Promise.all([
      removeProfileEntry(db, actor, ME, profile.id, ids[0]!),
      moveProfileEntry(db, actor, ME, profile.id, ids[3]!, "up"),
      removeProfileEntry(db, actor, ME, profile.id, ids[2]!),
    ]);
    rows = await positions(profile.id);
    expect(rows.map((e) => e.position)).toEqual([0, 1]);
    expect(rows.map((e) => e.model).sort()).toEqual(["b", "d"]);
  });

  it("a removed credential leaves the profile (and the order stays readable)", async () => {
    const { actor, profile, credentials } = await profileOfFour();
    await addProfileEntry(db, actor, ME, profile.id, { credentialId: credentials[1]!.id, model: "deepseek-chat" });
    await removeInScope(db, actor, ME, credentials[0]!.id);
    const entries = await entriesOf(actor, ME, profile.id);
    expect(entries.map((e) => e.model)).toEqual(["deepseek-chat"]);
    // The cascade leaves a gap (deepseek-chat at 4); adding closes it and goes last.
    await addProfileEntry(db, actor, ME, profile.id, { credentialId: credentials[2]!.id, model: "qwen-plus" });
    expect((await positions(profile.id)).map((e) => [e.position, e.model])).toEqual([
      [0, "deepseek-chat"],
      [1, "qwen-plus"],
    ]);
  });
});
