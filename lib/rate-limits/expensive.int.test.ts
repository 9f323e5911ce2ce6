/**
 * Limits on expensive actions, through the same lib entry points the server actions and routes
 * call: Save and Re-validate (lib/credentials/service), model suggestions (suggestModels with the
 * route's limit), sign-up (registerAccount). Each answer carries a message and a Retry-After.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { providerCredentials } from "@/db/schema";
import { failure } from "@/lib/actions";
import { signUpSchema } from "@/lib/auth/schemas";
import { registerAccount } from "@/lib/auth/sign-up";
import { parseCredentialForm } from "@/lib/credentials/form";
import { suggestModels } from "@/lib/credentials/models";
import { saveProviderCredential } from "@/lib/credentials/save";
import { revalidateInScope, saveInScope } from "@/lib/credentials/service";
import { errorResponse } from "@/lib/http";
import { userOwner } from "@/lib/owners";
import { cardForm, createTestUser, withEmulator } from "@/test/helpers";
import { EXPENSIVE_LIMITS, limitProviderCheck } from "./expensive";

const { emulator, host } = withEmulator();
const GOOD_KEY = "sk-proj-limitsKEYabcdefghijklmnopqrstuvwxyz0123";

let n = 0;
const address = () => `198.18.${Math.floor(++n / 250)}.${(n % 250) + 1}`;

function openaiForm(key: string) {
  const parsed = parseCredentialForm(cardForm({ provider: "openai", apiHost: host("openai"), model: "gpt-4o", fields: { apiKey: key } }));
  if (!parsed.ok) throw new Error("bad form");
  return parsed;
}

/** The ActionState a server action returns for what `run` throws. */
async function actionState(run: () => Promise<unknown>) {
  try {
    await run();
    return { ok: true as const };
  } catch (error) {
    return failure(error);
  }
}

describe("Save and Re-validate limits", () => {
  it("the 21st save in a minute is refused with a message and retryAfter, and calls no provider", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const actor = { userId: user.id, ip: address() };
    for (let i = 0; i < EXPENSIVE_LIMITS.perUser.save; i++) {
      expect((await saveInScope(db, actor, { kind: "user" }, openaiForm("sk-bad-key-for-limits-123"))).saved).toBe(false);
    }
    const before = emulator().requests().length;
    const state = await actionState(() => saveInScope(db, actor, { kind: "user" }, openaiForm(GOOD_KEY)));
    expect(state).toMatchObject({
      ok: false,
      code: "rate_limited",
      error: expect.stringMatching(/^Too many saves from your account\. Try again in \d+ seconds?\.$/),
      retryAfter: expect.any(Number),
    });
    const retryAfter = (state as { retryAfter: number }).retryAfter;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(EXPENSIVE_LIMITS.windowSeconds);
    expect(emulator().requests().length).toBe(before);
    // Another user behind the same address is not affected.
    const colleague = await createTestUser(db);
    expect((await saveInScope(db, { userId: colleague.id, ip: actor.ip }, { kind: "user" }, openaiForm(GOOD_KEY))).saved).toBe(true);
  });

  it("the 21st re-validation in a minute is refused the same way", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const saved = await saveProviderCredential(db, {
      owner: userOwner(user.id),
      actorUserId: user.id,
      input: openaiForm(GOOD_KEY).data,
      definition: openaiForm(GOOD_KEY).definition,
    });
    if (!saved.saved) throw new Error("not saved");
    const actor = { userId: user.id, ip: address() };
    for (let i = 0; i < EXPENSIVE_LIMITS.perUser.revalidate; i++) {
      expect((await revalidateInScope(db, actor, { kind: "user" }, saved.credential.id)).outcome).toBe("valid");
    }
    const state = await actionState(() => revalidateInScope(db, actor, { kind: "user" }, saved.credential.id));
    expect(state).toMatchObject({
      ok: false,
      code: "rate_limited",
      error: expect.stringMatching(/^Too many re-validations from your account\. Try again in/),
      retryAfter: expect.any(Number),
    });
  });

  it("per address, checks of every kind and user add up; a refused user does not use up the address", async () => {
    const db = await getDb();
    const ip = address();
    const users = await Promise.all([createTestUser(db), createTestUser(db)]);
    const [a, b] = users.map((u) => u.id) as [string, string];
    // User a hammers past its own limit: the refused attempts give the address's points back.
    for (let i = 0; i < EXPENSIVE_LIMITS.perUser.save + 30; i++) await limitProviderCheck(db, "save", { userId: a, ip }).catch(() => {});
    let used = EXPENSIVE_LIMITS.perUser.save;
    const checks = ["save", "revalidate", "suggest"] as const;
    for (let i = 0; used < EXPENSIVE_LIMITS.perIp; i++, used++) {
      await limitProviderCheck(db, checks[i % 3]!, { userId: `${b.slice(0, 30)}-${i % 9}`, ip });
    }
    const refused = await limitProviderCheck(db, "suggest", { userId: b, ip }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/^Too many provider checks from your network\. Try again in/),
      retryAfter: expect.any(Number),
    });
    await expect(limitProviderCheck(db, "suggest", { userId: b, ip: address() })).resolves.toBeUndefined();
  });
});

describe("model suggestion limits", () => {
  it("only calls to the provider count; past the limit the route answers 429 with Retry-After", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const ip = address();
    const form = openaiForm(GOOD_KEY);
    const saved = await saveProviderCredential(db, {
      owner: userOwner(user.id),
      actorUserId: user.id,
      input: form.data,
      definition: form.definition,
    });
    if (!saved.saved) throw new Error("not saved");
    // What GET /api/models passes: the limit runs only when the provider must be asked.
    const suggest = () => suggestModels(db, userOwner(user.id), "openai", () => limitProviderCheck(db, "suggest", { userId: user.id, ip }));
    const bump = () =>
      db
        .update(providerCredentials)
        .set({ version: sql`${providerCredentials.version} + 1` })
        .where(eq(providerCredentials.id, saved.credential.id));

    // The save cached the list: cache hits are free, however many.
    for (let i = 0; i < EXPENSIVE_LIMITS.perUser.suggest + 5; i++) expect((await suggest()).source).toBe("provider");
    for (let i = 0; i < EXPENSIVE_LIMITS.perUser.suggest; i++) {
      await bump(); // a new version: the next suggestion must ask the provider
      expect((await suggest()).source).toBe("provider");
    }
    await bump();
    const before = emulator().requests().length;
    const error = await suggest().catch((e: unknown) => e);
    expect(emulator().requests().length).toBe(before);
    const res = errorResponse(error, "test");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.json()).toEqual({
      error: { code: "rate_limited", message: expect.stringMatching(/^Too many model list requests from your account\. Try again in/) },
    });
  });
});

describe("sign-up limits", () => {
  it("an address may create 20 accounts an hour; the next gets a clear message and retryAfter", async () => {
    const db = await getDb();
    const ip = address();
    const input = (i: number) =>
      signUpSchema.parse({ name: "Bulk", email: `bulk-${n}-${i}@example.test`, password: "a long enough password" });
    for (let i = 0; i < EXPENSIVE_LIMITS.signUpsPerIp; i++) await registerAccount(db, input(i), ip);
    const state = await actionState(() => registerAccount(db, input(99), ip));
    expect(state).toMatchObject({
      ok: false,
      code: "rate_limited",
      error: expect.stringMatching(/^Too many accounts created from your network\. Try again in \d+ minutes?\.$/),
    });
    expect((state as { retryAfter: number }).retryAfter).toBeGreaterThan(EXPENSIVE_LIMITS.signUpWindowSeconds - 120);
    // Another address still can.
    await expect(registerAccount(db, input(100), address())).resolves.toMatchObject({ name: "Bulk" });
  });
});
