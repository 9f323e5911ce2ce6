import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, preparedQuery, type Database } from "@/db/client";
import { auditEvents, budgetCounters } from "@/db/schema";
import { upsertCredential } from "@/lib/credentials/queries";
import { isAppError } from "@/lib/errors";
import { orgOwner, userOwner } from "@/lib/owners";
import { createToken } from "@/lib/tokens/queries";
import { createTestUser } from "@/test/helpers";
import { actorOf, makeCast, type Cast } from "@/test/orgs";
import { admitRequest, flushBudgetTokens, noteBudgetTokens } from "./admission";
import { monthOf, secondsToNextMonth } from "./month";
import { settleBudgetAlerts } from "./notify";
import { budgetWarnings, loadOrgBudgets, loadUserBudgets } from "./pages";
import { removeBudget, setBudget } from "./service";

let db: Database;
let people: Omit<Cast, "slug" | "orgId">;

beforeAll(async () => {
  db = await getDb();
  const cast = await makeCast(db);
  people = {
    owner: cast.owner,
    admin: cast.admin,
    member: cast.member,
    outsider: cast.outsider,
    removed: cast.removed,
    target: cast.target,
  };
});

afterEach(() => {
  vi.useRealTimers();
});

async function orgSetup() {
  const cast = await makeCast(db, people);
  const credential = await upsertCredential(db, orgOwner(cast.orgId), {
    provider: "openai",
    model: "gpt-4o",
    apiHost: "http://127.0.0.1:9/v1",
    extra: {},
    parameters: null,
    secrets: { apiKey: "sk-proj-budgetTESTkey0123456789abcdefghijkl" },
    secretHints: {},
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(),
    actorUserId: cast.owner.id,
  });
  const memberToken = await createToken(db, userOwner(cast.member.id), {
    name: "member agent",
    expiresInDays: "never",
    actorUserId: cast.member.id,
  });
  const orgToken = await createToken(db, orgOwner(cast.orgId), { name: "org agent", expiresInDays: "never", actorUserId: cast.owner.id });
  const subject = (token: "member" | "org") => ({
    tokenId: token === "member" ? memberToken.view.id : orgToken.view.id,
    userId: token === "member" ? cast.member.id : null,
    credentialId: credential.id,
    credentialOrgId: cast.orgId,
  });
  return { cast, credential, memberToken, orgToken, subject };
}

/** Runs admissions concurrently; how many were admitted, and the refusals' errors. */
async function admitMany(n: number, subject: Parameters<typeof admitRequest>[1]) {
  const results = await Promise.allSettled(Array.from({ length: n }, () => admitRequest(preparedQuery, subject)));
  const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as unknown);
  return { admitted: results.filter((r) => r.status === "fulfilled").length, refused };
}

async function counter(budgetId: string, month = monthOf()) {
  const [row] = await db
    .select()
    .from(budgetCounters)
    .where(and(eq(budgetCounters.budgetId, budgetId), eq(budgetCounters.month, month)));
  return row;
}

describe("budget admission", () => {
  it("admits exactly the request limit out of 60 concurrent requests", async () => {
    const { cast, credential, subject } = await orgSetup();
    const budget = await setBudget(
      db,
      actorOf(cast.admin),
      cast.slug,
      { scope: "credential", id: credential.id },
      { requestLimit: 12, tokenLimit: null },
    );
    const { admitted, refused } = await admitMany(60, subject("member"));
    expect(admitted).toBe(12);
    expect(refused).toHaveLength(48);
    for (const error of refused) {
      expect(isAppError(error) && error.code).toBe("budget_exceeded");
      expect(isAppError(error) && error.status).toBe(429);
      expect(isAppError(error) && error.retryAfter).toBeGreaterThan(0);
      expect(isAppError(error) && error.retryAfter).toBeLessThanOrEqual(secondsToNextMonth() + 1);
    }
    expect((await counter(budget.id))?.requests).toBe(12);
  });

  it("applies the token's, the credential's and the member's budgets together; none applies to others", async () => {
    const { cast, credential, subject, memberToken } = await orgSetup();
    await setBudget(db, actorOf(cast.owner), cast.slug, { scope: "member", id: cast.member.id }, { requestLimit: 3, tokenLimit: null });
    // The member's budget applies to the member's personal token on the org credential, not to the org token.
    expect((await admitMany(5, subject("member"))).admitted).toBe(3);
    expect((await admitMany(5, subject("org"))).admitted).toBe(5);
    // A token budget applies on its own.
    await setBudget(db, actorOf(cast.member), null, { scope: "token", id: memberToken.view.id }, { requestLimit: 100, tokenLimit: null });
    await setBudget(db, actorOf(cast.owner), cast.slug, { scope: "member", id: cast.member.id }, { requestLimit: 1000, tokenLimit: null });
    await setBudget(db, actorOf(cast.owner), cast.slug, { scope: "credential", id: credential.id }, { requestLimit: 3, tokenLimit: null });
    // A new budget counts from when it is set: 3 more, then all three budgets refuse together (no partial increments).
    expect((await admitMany(6, subject("member"))).admitted).toBe(3);
    const page = await loadOrgBudgets(db, cast.admin.id, cast.slug);
    expect(page.credentials[0]!.budget).toMatchObject({ requestLimit: 3, requests: 3 });
    expect(page.members.find((m) => m.id === cast.member.id)!.budget).toMatchObject({ requests: 6 });
    const mine = await loadUserBudgets(db, cast.member.id);
    expect(mine.tokens.find((t) => t.id === memberToken.view.id)!.budget).toMatchObject({ requestLimit: 100, requests: 3 });
    expect(
      mine.memberBudgets.find((b) => b.orgName === page.credentials[0]!.label || b.budget?.requestLimit === 1000)!.budget,
    ).toMatchObject({ requestLimit: 1000, requests: 6 });
  });

  it("refuses once the token limit is reached; tokens are added in batches", async () => {
    const { cast, credential, subject } = await orgSetup();
    const budget = await setBudget(
      db,
      actorOf(cast.admin),
      cast.slug,
      { scope: "credential", id: credential.id },
      { requestLimit: null, tokenLimit: 100 },
    );
    const first = await admitRequest(preparedQuery, subject("member"));
    noteBudgetTokens(preparedQuery, first, 60);
    await flushBudgetTokens();
    const second = await admitRequest(preparedQuery, subject("org"));
    noteBudgetTokens(preparedQuery, second, 60);
    await flushBudgetTokens();
    expect(await counter(budget.id)).toMatchObject({ requests: 2, tokens: 120 });
    await expect(admitRequest(preparedQuery, subject("member"))).rejects.toMatchObject({ code: "budget_exceeded" });
    // Raising the limit lets calls through again.
    await setBudget(
      db,
      actorOf(cast.admin),
      cast.slug,
      { scope: "credential", id: credential.id },
      { requestLimit: null, tokenLimit: 1000 },
    );
    await expect(admitRequest(preparedQuery, subject("member"))).resolves.not.toBeNull();
    // Removing it: no budget applies.
    await removeBudget(db, actorOf(cast.admin), cast.slug, { scope: "credential", id: credential.id });
    await expect(admitRequest(preparedQuery, subject("member"))).resolves.toBeNull();
  });

  it("starts from zero when the month turns (UTC)", async () => {
    const { cast, credential, subject } = await orgSetup();
    const budget = await setBudget(
      db,
      actorOf(cast.admin),
      cast.slug,
      { scope: "credential", id: credential.id },
      { requestLimit: 2, tokenLimit: null },
    );
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2031-01-31T23:59:58Z"));
    expect((await admitMany(3, subject("member"))).admitted).toBe(2);
    const refused = await admitRequest(preparedQuery, subject("member")).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "budget_exceeded", retryAfter: 2 });
    vi.setSystemTime(new Date("2031-02-01T00:00:01Z"));
    expect((await admitMany(3, subject("member"))).admitted).toBe(2);
    expect((await counter(budget.id, "2031-01-01"))?.requests).toBe(2);
    expect((await counter(budget.id, "2031-02-01"))?.requests).toBe(2);
  });

  it("fires the 80 % and 100 % alerts once a month, however many requests cross them at once", async () => {
    const { cast, credential, subject } = await orgSetup();
    const budget = await setBudget(
      db,
      actorOf(cast.admin),
      cast.slug,
      { scope: "credential", id: credential.id },
      { requestLimit: 10, tokenLimit: null },
    );
    await admitMany(7, subject("member"));
    await settleBudgetAlerts();
    const events = async (kind: "budget.threshold" | "budget.exceeded") =>
      db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.kind, kind), eq(auditEvents.targetId, budget.id)));
    expect(await events("budget.threshold")).toHaveLength(0);
    expect((await budgetWarnings(db, cast.admin.id)).find((w) => w.budgetId === budget.id)).toBeUndefined();
    await admitMany(20, subject("member"));
    await settleBudgetAlerts();
    const threshold = await events("budget.threshold");
    expect(threshold).toHaveLength(1);
    expect(threshold[0]!.orgId).toBe(cast.orgId);
    expect(threshold[0]!.details).toMatchObject({
      budgetId: budget.id,
      scope: "credential",
      unit: "requests",
      limit: 10,
      month: monthOf(),
    });
    expect(await events("budget.exceeded")).toHaveLength(1);
    // The banner: admins of the org see it; the member (not theirs to manage, not their member budget) does not.
    const warning = (await budgetWarnings(db, cast.admin.id)).find((w) => w.budgetId === budget.id);
    expect(warning).toMatchObject({ budgetId: budget.id, percent: 100, unit: "requests", href: `/orgs/${cast.slug}/budgets` });
    expect((await budgetWarnings(db, cast.member.id)).find((w) => w.budgetId === budget.id)).toBeUndefined();
  });

  it("warns a member about their own member budget, and a token's owner about its budget", async () => {
    const { cast, subject, memberToken } = await orgSetup();
    const member = await setBudget(
      db,
      actorOf(cast.admin),
      cast.slug,
      { scope: "member", id: cast.member.id },
      { requestLimit: 10, tokenLimit: null },
    );
    const token = await setBudget(
      db,
      actorOf(cast.member),
      null,
      { scope: "token", id: memberToken.view.id },
      { requestLimit: 100, tokenLimit: null },
    );
    await admitMany(8, subject("member"));
    const mine = await budgetWarnings(db, cast.member.id);
    expect(mine.find((w) => w.budgetId === member.id)).toMatchObject({ percent: 80, href: "/agent/budgets", orgName: expect.any(String) });
    // 8 of 100 on the token's own budget: no warning for it.
    expect(mine.find((w) => w.budgetId === token.id)).toBeUndefined();
    await setBudget(db, actorOf(cast.member), null, { scope: "token", id: memberToken.view.id }, { requestLimit: null, tokenLimit: 10 });
    const admission = await admitRequest(preparedQuery, subject("member"));
    noteBudgetTokens(preparedQuery, admission, 9);
    await flushBudgetTokens();
    await settleBudgetAlerts();
    expect((await budgetWarnings(db, cast.member.id)).find((w) => w.budgetId === token.id)).toMatchObject({ percent: 90, unit: "tokens" });
    // The personal token's alert belongs to the user, not the org.
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.kind, "budget.threshold"), eq(auditEvents.targetId, token.id)));
    expect(event).toMatchObject({ userId: cast.member.id, orgId: null });
    expect((await budgetWarnings(db, cast.outsider.id)).find((w) => w.budgetId === token.id || w.budgetId === member.id)).toBeUndefined();
  });
});

describe("who may set budgets", () => {
  it("owners and admins set org budgets; members and outsiders may not", async () => {
    const { cast, credential, orgToken } = await orgSetup();
    const limits = { requestLimit: 5, tokenLimit: null };
    await expect(setBudget(db, actorOf(cast.member), cast.slug, { scope: "credential", id: credential.id }, limits)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setBudget(db, actorOf(cast.member), cast.slug, { scope: "member", id: cast.member.id }, limits)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setBudget(db, actorOf(cast.member), cast.slug, { scope: "token", id: orgToken.view.id }, limits)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      setBudget(db, actorOf(cast.outsider), cast.slug, { scope: "credential", id: credential.id }, limits),
    ).rejects.toMatchObject({ code: "not_found" });
    // A member of another org is not a target here; nor is a credential of another org.
    await expect(setBudget(db, actorOf(cast.admin), cast.slug, { scope: "member", id: cast.outsider.id }, limits)).rejects.toMatchObject({
      code: "not_found",
    });
    const other = await makeCast(db, people);
    await expect(setBudget(db, actorOf(other.owner), other.slug, { scope: "credential", id: credential.id }, limits)).rejects.toMatchObject(
      { code: "not_found" },
    );
    await expect(setBudget(db, actorOf(cast.admin), cast.slug, { scope: "token", id: orgToken.view.id }, limits)).resolves.toBeDefined();
    await expect(loadOrgBudgets(db, cast.member.id, cast.slug)).rejects.toMatchObject({ code: "forbidden" });
    const [set] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.kind, "budget.set"), eq(auditEvents.orgId, cast.orgId)));
    expect(set!.details).toMatchObject({ scope: "token", target: "token “org agent”", requestLimit: 5 });
  });

  it("a user sets their own token's budget, not another's, and not an org token's from their own page", async () => {
    const { cast, memberToken, orgToken } = await orgSetup();
    const stranger = await createTestUser(db, "Stranger");
    const limits = { requestLimit: null, tokenLimit: 1000 };
    await expect(setBudget(db, actorOf(cast.member), null, { scope: "token", id: memberToken.view.id }, limits)).resolves.toBeDefined();
    await expect(setBudget(db, actorOf(stranger), null, { scope: "token", id: memberToken.view.id }, limits)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(removeBudget(db, actorOf(stranger), null, { scope: "token", id: memberToken.view.id })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(setBudget(db, actorOf(cast.owner), null, { scope: "token", id: orgToken.view.id }, limits)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(setBudget(db, actorOf(cast.member), null, { scope: "credential", id: memberToken.view.id }, limits)).rejects.toMatchObject(
      { code: "not_found" },
    );
    await removeBudget(db, actorOf(cast.member), null, { scope: "token", id: memberToken.view.id });
    const removed = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.kind, "budget.removed"), eq(auditEvents.userId, cast.member.id)));
    expect(removed).toHaveLength(1);
  });
});
