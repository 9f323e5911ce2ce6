/**
 * Where alerts come from: a re-validation that turns a credential bad (credential.invalid,
 * credential.quota: once per transition, not every run) and tokens about to expire
 * (token.expiring: once per token). Email goes to a real local SMTP sink.
 */
import { afterAll, describe, expect, it, vi } from "vitest";

const sink = await vi.hoisted(async () => {
  const { startSmtpSink } = await import("@/test/smtp-sink");
  const started = await startSmtpSink();
  process.env.SMTP_URL = started.url;
  process.env.APP_URL = "https://byok.example.com/";
  return started;
});

const { eq, sql } = await import("drizzle-orm");
const { getDb } = await import("@/db/client");
const { ALERT_EVENTS, agentTokens, webhookDeliveries } = await import("@/db/schema");
const { emulatorKey } = await import("@/e2e/emulator/scenarios");
const { upsertCredential } = await import("@/lib/credentials/queries");
const { revalidateForOwner, runRevalidationPass } = await import("@/lib/credentials/revalidate");
const { runTokenExpiryJob } = await import("@/lib/jobs/token-expiry-job");
const { userOwner } = await import("@/lib/owners");
const { createTokenInScope } = await import("@/lib/tokens/service");
const { createTestUser, withEmulator } = await import("@/test/helpers");
const { actorOf, makeCast } = await import("@/test/orgs");
const { createWebhook } = await import("./webhooks");

afterAll(() => sink.close());
const { host } = withEmulator();

const SECRET = "whsec-events-secret-value";

async function userWithHook() {
  const db = await getDb();
  const user = await createTestUser(db);
  // Deliveries are only recorded here (not sent): the URL needs no receiver.
  const hook = await createWebhook(
    db,
    actorOf(user),
    { kind: "user" },
    { url: "http://127.0.0.1:9/hook", secret: SECRET, events: [...ALERT_EVENTS] },
  );
  return { db, user, hook };
}

async function storeKey(db: Awaited<ReturnType<typeof getDb>>, userId: string, key: string) {
  return upsertCredential(db, userOwner(userId), {
    provider: "openai",
    model: "gpt-4o",
    apiHost: host("openai"),
    extra: {},
    parameters: null,
    secrets: { apiKey: key },
    secretHints: { apiKey: "sk-proj-…" },
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(Date.now() - 86_400_000),
    actorUserId: userId,
  });
}

describe("alert sources", () => {
  it("a re-validation that finds the key bad emits credential.invalid once, not on every run, and emails the user", async () => {
    const { db, user, hook } = await userWithHook();
    const stored = await storeKey(db, user.id, emulatorKey("bad"));
    expect((await revalidateForOwner(db, userOwner(user.id), stored.id)).outcome).toBe("invalid_key");
    expect((await revalidateForOwner(db, userOwner(user.id), stored.id)).outcome).toBe("invalid_key");
    await runRevalidationPass(db, { spacingMs: 0 });
    const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      event: "credential.invalid",
      status: "pending",
      payload: {
        type: "credential.invalid",
        user: { id: user.id },
        data: { credentialId: stored.id, provider: "openai", model: "gpt-4o", reason: "invalid_key" },
      },
    });
    expect(JSON.stringify(rows[0]!.payload)).not.toContain("sk-proj-bad");
    const mail = await sink.waitFor(user.email);
    expect(mail.subject).toMatch(/A provider key or model stopped working/);
    expect(mail.text).toContain("reason: invalid_key");
    expect(mail.text).toContain("https://byok.example.com/agent/alerts");
    expect(mail.text).not.toContain("sk-proj-bad");
  });

  it("a key that recovers and goes bad again is a new transition; an exhausted quota is credential.quota", async () => {
    const { db, user, hook } = await userWithHook();
    const owner = userOwner(user.id);
    const bad = await storeKey(db, user.id, emulatorKey("bad"));
    await revalidateForOwner(db, owner, bad.id);
    await storeKey(db, user.id, emulatorKey("valid"));
    expect((await revalidateForOwner(db, owner, bad.id)).outcome).toBe("valid");
    await storeKey(db, user.id, emulatorKey("quota"));
    expect((await revalidateForOwner(db, owner, bad.id)).outcome).toBe("quota_exceeded");
    await revalidateForOwner(db, owner, bad.id);
    const events = (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id))).map((r) => r.event);
    expect(events.sort()).toEqual(["credential.invalid", "credential.quota"]);
  });

  it("a token expiring within 7 days emits token.expiring once, for its owner (the org for org tokens)", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const orgHook = await createWebhook(
      db,
      actorOf(cast.owner),
      { kind: "org", slug: cast.slug },
      { url: "http://127.0.0.1:9/org-hook", secret: SECRET, events: ["token.expiring"] },
    );
    const { user, hook } = await userWithHook();
    const personal = await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "ci-agent", expiresInDays: "30" });
    const org = await createTokenInScope(
      db,
      actorOf(cast.admin),
      { kind: "org", slug: cast.slug },
      { name: "org-agent", expiresInDays: "30" },
    );
    const later = await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "later", expiresInDays: "90" });
    // A 7-day token was made short on purpose: no warning for it.
    await createTokenInScope(db, actorOf(user), { kind: "user" }, { name: "short", expiresInDays: "7" });
    for (const id of [personal.view.id, org.view.id])
      await db
        .update(agentTokens)
        .set({ createdAt: sql`now() - interval '27 days'`, expiresAt: sql`now() + interval '3 days'` })
        .where(eq(agentTokens.id, id));

    // Two instances looking at once still announce each token once.
    const counts = await Promise.all([runTokenExpiryJob(db), runTokenExpiryJob(db)]);
    expect(counts[0]! + counts[1]!).toBe(2);
    expect(await runTokenExpiryJob(db)).toBe(0);

    const mine = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.payload).toMatchObject({
      type: "token.expiring",
      user: { id: user.id },
      data: { tokenId: personal.view.id, name: "ci-agent", expiresAt: expect.any(String) },
    });
    const theirs = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, orgHook.id));
    expect(theirs).toHaveLength(1);
    expect(theirs[0]!.payload).toMatchObject({
      type: "token.expiring",
      org: { id: cast.orgId, slug: cast.slug },
      data: { name: "org-agent" },
    });
    const [untouched] = await db.select().from(agentTokens).where(eq(agentTokens.id, later.view.id));
    expect(untouched!.expiryNotifiedAt).toBeNull();
    // Org alerts are emailed to the org's owners and admins.
    await sink.waitFor(cast.owner.email);
    await sink.waitFor(cast.admin.email);
    expect(sink.messages.some((m) => m.to.includes(cast.member.email))).toBe(false);
  });
});
