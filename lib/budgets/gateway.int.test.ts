/**
 * Budgets through the real gateway route handler, forwarding to the provider emulator: a spent
 * budget answers 429 budget_exceeded with Retry-After up to the month's end, the answers' tokens
 * are counted, and raising the limit lets calls through again. The config route is unaffected.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { budgetCounters } from "@/db/schema";
import { emulatorKey } from "@/e2e/emulator";
import { upsertCredential } from "@/lib/credentials/queries";
import { orgOwner, userOwner } from "@/lib/owners";
import { createToken } from "@/lib/tokens/queries";
import { withEmulator } from "@/test/helpers";
import { actorOf, makeCast } from "@/test/orgs";
import { POST } from "@/app/api/v1/gateway/[credentialId]/[...path]/route";
import { POST as PROFILE_POST } from "@/app/api/v1/gateway/profile/[name]/[...path]/route";
import { addProfileEntry, createProfile } from "@/lib/profiles/service";
import { flushBudgetTokens } from "./admission";
import { monthOf, secondsToNextMonth } from "./month";
import { setBudget } from "./service";

const { host } = withEmulator();
// Token counts still queued are written before the file's database goes away.
afterAll(() => flushBudgetTokens());

/** An org credential on the emulator (one per provider per org). */
async function orgCredential(orgId: string, actorUserId: string, provider: "openai" | "deepseek") {
  return upsertCredential(await getDb(), orgOwner(orgId), {
    provider,
    model: "gpt-4o",
    apiHost: host(provider),
    extra: {},
    parameters: null,
    secrets: { apiKey: emulatorKey("valid", provider === "openai" ? "sk-proj-" : "sk-") },
    secretHints: {},
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(),
    actorUserId,
  });
}

function profileChat(token: string) {
  const request = new Request("http://localhost/api/v1/gateway/profile/coder/chat/completions", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "any", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }),
  });
  return PROFILE_POST(request, { params: Promise.resolve({ name: "coder", path: ["chat", "completions"] }) });
}

function chat(credentialId: string, token: string) {
  const request = new Request(`http://localhost/api/v1/gateway/${credentialId}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }),
  });
  return POST(request, { params: Promise.resolve({ credentialId, path: ["chat", "completions"] }) });
}

describe("gateway with budgets", () => {
  it("answers 429 budget_exceeded with Retry-After once the request limit is reached, until it is raised", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await upsertCredential(db, orgOwner(cast.orgId), {
      provider: "openai",
      model: "gpt-4o",
      apiHost: host("openai"),
      extra: {},
      parameters: null,
      secrets: { apiKey: emulatorKey("valid") },
      secretHints: {},
      status: "valid",
      statusCode: "valid",
      statusDetail: null,
      validatedAt: new Date(),
      actorUserId: cast.owner.id,
    });
    const { token } = await createToken(db, userOwner(cast.member.id), {
      name: "agent",
      expiresInDays: "never",
      actorUserId: cast.member.id,
    });
    const budget = await setBudget(
      db,
      actorOf(cast.admin),
      cast.slug,
      { scope: "credential", id: credential.id },
      { requestLimit: 3, tokenLimit: null },
    );

    for (let i = 0; i < 3; i++) {
      const res = await chat(credential.id, token);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
      expect(body.usage.completion_tokens).toBe(1);
    }
    const refused = await chat(credential.id, token);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(Math.abs(retryAfter - secondsToNextMonth())).toBeLessThanOrEqual(2);
    const error = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe("budget_exceeded");
    expect(error.error.message).toMatch(/monthly request limit of this credential's budget \(3\)/);

    await flushBudgetTokens();
    const [row] = await db
      .select()
      .from(budgetCounters)
      .where(and(eq(budgetCounters.budgetId, budget.id), eq(budgetCounters.month, monthOf())));
    expect(row!.requests).toBe(3);
    expect(row!.tokens).toBeGreaterThanOrEqual(3 * 2);

    await setBudget(db, actorOf(cast.admin), cast.slug, { scope: "credential", id: credential.id }, { requestLimit: 4, tokenLimit: null });
    expect((await chat(credential.id, token)).status).toBe(200);
    expect((await chat(credential.id, token)).status).toBe(429);
  });

  it("profile gateway: an entry whose budget is spent is skipped; the last entry's refusal is the answer", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const first = await orgCredential(cast.orgId, cast.owner.id, "openai");
    const second = await orgCredential(cast.orgId, cast.owner.id, "deepseek");
    const actor = actorOf(cast.admin);
    const profile = await createProfile(db, actor, { kind: "user" }, "coder");
    await addProfileEntry(db, actor, { kind: "user" }, profile.id, { credentialId: first.id, model: "gpt-4o-mini" });
    await addProfileEntry(db, actor, { kind: "user" }, profile.id, { credentialId: second.id, model: "deepseek-chat" });
    const { token } = await createToken(db, userOwner(cast.admin.id), {
      name: "agent",
      expiresInDays: "never",
      actorUserId: cast.admin.id,
    });
    for (const credential of [first, second])
      await setBudget(
        db,
        actorOf(cast.owner),
        cast.slug,
        { scope: "credential", id: credential.id },
        { requestLimit: 1, tokenLimit: null },
      );

    const answered = [];
    for (let i = 0; i < 2; i++) {
      const res = await profileChat(token);
      expect(res.status, await res.clone().text()).toBe(200);
      answered.push(res.headers.get("x-byok-credential"));
    }
    expect(answered).toEqual([first.id, second.id]);
    const refused = await profileChat(token);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("budget_exceeded");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
