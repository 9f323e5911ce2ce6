import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { providerCredentials, userDefaults } from "@/db/schema";
import { userOwner } from "@/lib/owners";
import { cardForm, createTestUser, withEmulator } from "@/test/helpers";
import { parseCredentialForm } from "./form";
import { findCredential, listCredentials, removeCredential, setUserDefault } from "./queries";
import { saveProviderCredential } from "./save";

const { emulator, host } = withEmulator();
const GOOD_KEY = "sk-proj-goodKEYabcdefghijklmnopqrstuvwxyz0123MxYA";

async function save(userId: string, values: Parameters<typeof cardForm>[0]) {
  const parsed = parseCredentialForm(cardForm(values));
  if (!parsed.ok) throw new Error(`form invalid: ${JSON.stringify(parsed.fieldErrors)}`);
  return saveProviderCredential(await getDb(), {
    owner: userOwner(userId),
    actorUserId: userId,
    input: parsed.data,
    definition: parsed.definition,
  });
}

const openai = (key: string | undefined, model = "gpt-4o", extra: Partial<Parameters<typeof cardForm>[0]> = {}) => ({
  provider: "openai",
  apiHost: host("openai"),
  model,
  fields: key === undefined ? {} : { apiKey: key },
  ...extra,
});

describe("saving a provider credential", () => {
  it("validates, then stores the key encrypted: no plaintext anywhere in the row", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const result = await save(user.id, openai(GOOD_KEY));
    expect(result.saved).toBe(true);
    expect(result.report.outcome).toBe("valid");
    const rows = await db.execute(sql`select row_to_json(c)::text as json from provider_credentials c`);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(GOOD_KEY);
    expect(text).not.toContain(GOOD_KEY.slice(8, 30));
    expect(text).not.toContain(Buffer.from(GOOD_KEY).toString("base64").slice(0, 24));
    const stored = await findCredential(db, userOwner(user.id), "openai");
    expect(stored).toMatchObject({
      status: "valid",
      statusCode: "valid",
      model: "gpt-4o",
      secretHints: { apiKey: expect.stringMatching(/…MxYA$/) },
    });
    expect(stored!.validatedAt).toBeInstanceOf(Date);
  });

  it("stores nothing when validation fails, and a failed save keeps the previous valid config", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const bad = await save(user.id, openai("sk-bad-key-1234567890abcdef"));
    expect(bad).toMatchObject({ saved: false, report: { outcome: "invalid_key", title: "Invalid key. Validation failed." } });
    expect(JSON.stringify(bad)).not.toContain("sk-bad-key-1234567890abcdef");
    expect(await listCredentials(db, userOwner(user.id))).toEqual([]);

    const good = await save(user.id, openai(GOOD_KEY));
    expect(good.saved).toBe(true);
    const badModel = await save(user.id, openai(GOOD_KEY, "gpt-does-not-exist"));
    expect(badModel).toMatchObject({ saved: false, report: { outcome: "invalid_model", title: "Invalid model name. Validation failed." } });
    const stored = await findCredential(db, userOwner(user.id), "openai");
    expect(stored).toMatchObject({ model: "gpt-4o", status: "valid", version: 1 });
  });

  it("an empty key keeps the stored key, re-validated with the new model", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    await save(user.id, openai(GOOD_KEY));
    emulator().clear();
    const again = await save(user.id, openai(undefined, "gpt-4o-mini", { expectedVersion: 1 }));
    expect(again.saved).toBe(true);
    const auth = emulator()
      .requests()
      .map((r) => r.headers.authorization);
    expect(auth.length).toBeGreaterThan(0);
    expect(new Set(auth)).toEqual(new Set([`Bearer ${GOOD_KEY}`]));
    expect(await findCredential(db, userOwner(user.id), "openai")).toMatchObject({ model: "gpt-4o-mini", version: 2 });
  });

  it("refuses a masked value as a key, and a stored key for a different server", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    await save(user.id, openai(GOOD_KEY));
    const stored = await findCredential(db, userOwner(user.id), "openai");
    await expect(save(user.id, openai(stored!.secretHints.apiKey))).rejects.toMatchObject({
      fieldErrors: { apiKey: expect.stringMatching(/masked/) },
    });
    await expect(save(user.id, openai("sk-proj-****…MxYA"))).rejects.toMatchObject({ code: "invalid_request" });
    const otherServer = { ...openai(undefined), apiHost: host("openai").replace("127.0.0.1", "localhost") };
    await expect(save(user.id, otherServer)).rejects.toMatchObject({ fieldErrors: { apiKey: expect.stringMatching(/another server/) } });
    expect(
      emulator()
        .requests()
        .some((r) => r.headers.authorization?.includes("…")),
    ).toBe(false);
  });

  it("refuses a stale edit (optimistic concurrency) without validating", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    await save(user.id, openai(GOOD_KEY));
    await save(user.id, openai(undefined, "gpt-4.1", { expectedVersion: 1 }));
    await expect(save(user.id, openai(undefined, "gpt-4o", { expectedVersion: 1 }))).rejects.toMatchObject({ code: "conflict" });
  });

  it("for transient failures stores only on Save anyway, as Unverified", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const limited = await save(user.id, openai("sk-ratelimit-1234567890abcdef"));
    expect(limited).toMatchObject({ saved: false, report: { outcome: "rate_limited", canSaveAnyway: true } });
    const quota = await save(user.id, openai("sk-quota-1234567890abcdef"));
    expect(quota).toMatchObject({ saved: false, report: { outcome: "quota_exceeded", canSaveAnyway: false } });
    const anyway = await save(user.id, { ...openai("sk-ratelimit-1234567890abcdef"), intent: "save_anyway" });
    expect(anyway.saved).toBe(true);
    expect(await findCredential(db, userOwner(user.id), "openai")).toMatchObject({ status: "unverified", statusCode: "rate_limited" });
    const quotaAnyway = await save(user.id, { ...openai("sk-quota-1234567890abcdef"), intent: "save_anyway" });
    expect(quotaAnyway.saved).toBe(false);
  });
});

describe("defaults", () => {
  it("two concurrent Set as Default leave exactly one default", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const a = await save(user.id, openai(GOOD_KEY));
    const other = await db
      .insert(providerCredentials)
      .values({
        ...(
          await db
            .select()
            .from(providerCredentials)
            .where(eq(providerCredentials.id, a.saved ? a.credential.id : ""))
        )[0]!,
        id: crypto.randomUUID(),
        provider: "openai-compatible",
      })
      .returning({ id: providerCredentials.id });
    const ids = [a.saved ? a.credential.id : "", other[0]!.id];
    await Promise.all(Array.from({ length: 10 }, (_, i) => setUserDefault(db, user.id, ids[i % 2]!)));
    const rows = await db.select().from(userDefaults).where(eq(userDefaults.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(ids).toContain(rows[0]!.credentialId);
  });

  it("cannot point at another user's credential, and removing the default clears it", async () => {
    const db = await getDb();
    const owner = await createTestUser(db);
    const intruder = await createTestUser(db);
    const saved = await save(owner.id, openai(GOOD_KEY));
    const id = saved.saved ? saved.credential.id : "";
    await expect(setUserDefault(db, intruder.id, id)).rejects.toMatchObject({ code: "not_found" });
    expect(await removeCredential(db, userOwner(intruder.id), id)).toBe(false);
    await setUserDefault(db, owner.id, id);
    expect(await removeCredential(db, userOwner(owner.id), id)).toBe(true);
    expect(await db.select().from(userDefaults).where(eq(userDefaults.userId, owner.id))).toEqual([]);
  });
});
