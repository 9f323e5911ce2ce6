/**
 * Webhook delivery against a real HTTP receiver on 127.0.0.1 (allow-listed in the test env):
 * signing, retries with backoff, giving up after 24 h, concurrent workers (SKIP LOCKED), the URL
 * guard, and the secret at rest.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { ALERT_EVENTS, webhookDeliveries, webhooks } from "@/db/schema";
import { listEvents } from "@/lib/audit/events";
import { actorOf, makeCast } from "@/test/orgs";
import { createTestUser } from "@/test/helpers";
import { backoffMs, deliverDue, purgeOldDeliveries } from "./deliver";
import { emitAlertIn } from "./emit";
import { verifyWebhookSignature } from "./signature";
import { startReceiver, type Receiver } from "./test-receiver";
import { checkWebhookUrl, createWebhook, loadAlertsPage, openWebhookSecret, removeWebhook } from "./webhooks";

const SECRET = "whsec-integration-secret-value";
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(statuses: number[], options?: { delayMs?: number }) {
  const started = await startReceiver(statuses, options);
  receivers.push(started);
  return started;
}

async function personalHook(db: Database, url: string) {
  const user = await createTestUser(db);
  const hook = await createWebhook(db, actorOf(user), { kind: "user" }, { url, secret: SECRET, events: [...ALERT_EVENTS] });
  return { user, hook };
}

const deliveriesOf = (db: Database, webhookId: string) =>
  db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(webhookDeliveries.createdAt);

describe("webhook delivery", () => {
  it("POSTs the exact payload, signed so that the receiver verifies it with the secret", async () => {
    const db = await getDb();
    const rx = await receiver([200]);
    const { user, hook } = await personalHook(db, rx.url);
    const emitted = await emitAlertIn(db, {
      owner: { userId: user.id },
      event: "credential.invalid",
      data: { credentialId: "c1", provider: "openai", reason: "invalid_key" },
    });
    expect(emitted.deliveries).toBe(1);
    expect(await deliverDue(db, { retryBaseMs: 10 })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    const [request] = await rx.waitFor(1);
    const [row] = await deliveriesOf(db, hook.id);
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["x-byok-event"]).toBe("credential.invalid");
    expect(request!.headers["x-byok-delivery"]).toBe(row!.id);
    expect(request!.headers["x-byok-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret: SECRET, header: request!.headers["x-byok-signature"], body: request!.body })).toBe(true);
    expect(
      verifyWebhookSignature({ secret: "not-the-secret-value", header: request!.headers["x-byok-signature"], body: request!.body }),
    ).toBe(false);
    expect(JSON.parse(request!.body)).toEqual({
      id: emitted.eventId,
      type: "credential.invalid",
      createdAt: expect.any(String),
      user: { id: user.id },
      data: { credentialId: "c1", provider: "openai", reason: "invalid_key" },
    });
    expect(JSON.parse(request!.body)).toEqual(row!.payload);
    expect(row).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200, lastError: null, deliveredAt: expect.any(Date) });
    // Nothing left to do.
    expect(await deliverDue(db)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
  });

  it("retries a receiver answering 500, 500, 200 with growing backoff and ends delivered", async () => {
    const db = await getDb();
    const rx = await receiver([500, 500, 200]);
    const { user, hook } = await personalHook(db, rx.url);
    await emitAlertIn(db, { owner: { userId: user.id }, event: "credential.quota", data: {} });
    const base = 100;
    const passes: Awaited<ReturnType<typeof deliverDue>>[] = [];
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      const pass = await deliverDue(db, { retryBaseMs: base });
      if (pass.delivered + pass.retrying + pass.failed > 0) passes.push(pass);
      if (pass.retrying === 1 && passes.length === 1) {
        const [pending] = await deliveriesOf(db, hook.id);
        expect(pending).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
      }
      if (pass.delivered) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(passes).toEqual([
      { delivered: 0, retrying: 1, failed: 0 },
      { delivered: 0, retrying: 1, failed: 0 },
      { delivered: 1, retrying: 0, failed: 0 },
    ]);
    const times = rx.requests().map((r) => r.at);
    expect(times).toHaveLength(3);
    // base × 1 and base × 4, each ±10 %.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(base * 0.9 - 5);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(base * 4 * 0.9 - 5);
    expect(new Set(rx.requests().map((r) => r.headers["x-byok-delivery"])).size).toBe(1);
    const [row] = await deliveriesOf(db, hook.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200 });
  });

  it("backs off base × 1, 4, 20, 60, 120, 240 with ±10 % jitter, the last step repeating", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 9].map((n) => backoffMs(n, 30_000, () => 0.5))).toEqual([
      30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 7_200_000, 7_200_000,
    ]);
    expect(backoffMs(1, 1000, () => 0)).toBe(900);
    expect(backoffMs(1, 1000, () => 1)).toBe(1100);
  });

  it("marks a delivery still pending after 24 h as failed, without sending it", async () => {
    const db = await getDb();
    const rx = await receiver([500]);
    const { user, hook } = await personalHook(db, rx.url);
    await emitAlertIn(db, { owner: { userId: user.id }, event: "token.expiring", data: {} });
    await db
      .update(webhookDeliveries)
      .set({ createdAt: sql`now() - interval '25 hours'`, attempts: 9, lastStatusCode: 500, lastError: "HTTP 500" })
      .where(eq(webhookDeliveries.webhookId, hook.id));
    expect(await deliverDue(db)).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    const [row] = await deliveriesOf(db, hook.id);
    expect(row).toMatchObject({ status: "failed", attempts: 9, lastStatusCode: 500, lastError: "HTTP 500 (gave up after 24 h)" });
    expect(rx.requests()).toHaveLength(0);
  });

  it("keeps finished deliveries 30 days, pending ones until they finish", async () => {
    const db = await getDb();
    const rx = await receiver([200]);
    const { user, hook } = await personalHook(db, rx.url);
    for (let i = 0; i < 3; i++) await emitAlertIn(db, { owner: { userId: user.id }, event: "budget.threshold", data: { i } });
    const [a, b, c] = await deliveriesOf(db, hook.id);
    await db
      .update(webhookDeliveries)
      .set({ status: "delivered", createdAt: sql`now() - interval '31 days'` })
      .where(eq(webhookDeliveries.id, a!.id));
    await db
      .update(webhookDeliveries)
      .set({ status: "failed", createdAt: sql`now() - interval '29 days'` })
      .where(eq(webhookDeliveries.id, b!.id));
    await db
      .update(webhookDeliveries)
      .set({ createdAt: sql`now() - interval '31 days'`, nextAttemptAt: sql`now() + interval '1 hour'` })
      .where(eq(webhookDeliveries.id, c!.id));
    expect(await purgeOldDeliveries(db)).toBe(1);
    expect((await deliveriesOf(db, hook.id)).map((d) => d.id).sort()).toEqual([b!.id, c!.id].sort());
  });

  it("fails a delivery whose next retry would come after 24 h", async () => {
    const db = await getDb();
    const rx = await receiver([503]);
    const { user, hook } = await personalHook(db, rx.url);
    await emitAlertIn(db, { owner: { userId: user.id }, event: "budget.exceeded", data: {} });
    await db
      .update(webhookDeliveries)
      .set({ createdAt: sql`now() - interval '23 hours 59 minutes 40 seconds'` })
      .where(eq(webhookDeliveries.webhookId, hook.id));
    expect(await deliverDue(db, { retryBaseMs: 30_000 })).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect((await deliveriesOf(db, hook.id))[0]).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 503 });
  });

  it("two workers running at once deliver each of 12 deliveries exactly once (FOR UPDATE SKIP LOCKED)", async () => {
    const db = await getDb();
    const rx = await receiver([200], { delayMs: 50 });
    const { user, hook } = await personalHook(db, rx.url);
    for (let i = 0; i < 12; i++) await emitAlertIn(db, { owner: { userId: user.id }, event: "budget.threshold", data: { i } });
    const [a, b] = await Promise.all([deliverDue(db, { batchSize: 8 }), deliverDue(db, { batchSize: 8 })]);
    const more = await deliverDue(db, { batchSize: 8 });
    expect(a!.delivered + b!.delivered + more.delivered).toBe(12);
    const ids = rx.requests().map((r) => r.headers["x-byok-delivery"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    const rows = await deliveriesOf(db, hook.id);
    expect(rows.every((r) => r.status === "delivered" && r.attempts === 1)).toBe(true);
  });

  it("refuses a URL on a private address (literal or resolved) unless allow-listed, and plain http elsewhere", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const create = (url: string) =>
      createWebhook(db, actorOf(user), { kind: "user" }, { url, secret: SECRET, events: ["credential.invalid"] });
    await expect(create("https://10.0.0.7/hook")).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringMatching(/^10\.0\.0\.7 cannot receive webhooks: it is a private address/),
      fieldErrors: { url: expect.stringMatching(/private address/) },
    });
    await expect(create("https://169.254.169.254/latest")).rejects.toMatchObject({ message: expect.stringMatching(/cloud metadata/) });
    await expect(
      checkWebhookUrl("https://intranet.example/hook", async () => [{ address: "192.168.1.5", family: 4 }]),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^intranet\.example cannot receive webhooks: resolves to a private address \(192\.168\.1\.5\)/),
    });
    await expect(checkWebhookUrl("http://hooks.example/x", async () => [{ address: "93.184.215.14", family: 4 }])).rejects.toMatchObject({
      message: expect.stringMatching(/^hooks\.example cannot receive webhooks: plain http is only allowed for hosts listed/),
    });
    await expect(
      checkWebhookUrl("https://hooks.example/x", async () => [{ address: "93.184.215.14", family: 4 }]),
    ).resolves.toBeUndefined();
    expect(await db.$count(webhooks, eq(webhooks.ownerUserId, user.id))).toBe(0);
  });

  it("the delivery itself goes through the guard: a stored URL on a private address is refused and retried", async () => {
    const db = await getDb();
    const rx = await receiver([200]);
    const { user, hook } = await personalHook(db, rx.url);
    await db.update(webhooks).set({ url: "http://10.0.0.7/hook" }).where(eq(webhooks.id, hook.id));
    await emitAlertIn(db, { owner: { userId: user.id }, event: "credential.invalid", data: {} });
    expect(await deliverDue(db, { retryBaseMs: 10 })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const [row] = await deliveriesOf(db, hook.id);
    expect(row!.lastStatusCode).toBeNull();
    expect(row!.lastError).toMatch(/private address/);
  });

  it("stores the secret only encrypted, shows it as a hint, and records activity", async () => {
    const db = await getDb();
    const rx = await receiver([200]);
    const { user, hook } = await personalHook(db, rx.url);
    await emitAlertIn(db, { owner: { userId: user.id }, event: "credential.invalid", data: {} });
    await deliverDue(db);
    const [row] = await db.select().from(webhooks).where(eq(webhooks.id, hook.id));
    const deliveries = await deliveriesOf(db, hook.id);
    for (const text of [JSON.stringify(row), JSON.stringify(deliveries)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString("base64"));
    }
    expect(row!.keyVersion).toMatch(/^v\d+$/);
    expect(openWebhookSecret(row!)).toBe(SECRET);
    // Moved to another owner, the row no longer decrypts (the envelope is bound to id and owner).
    const other = await createTestUser(db);
    expect(() => openWebhookSecret({ ...row!, ownerUserId: other.id })).toThrow(/does not decrypt/);

    const page = await loadAlertsPage(db, actorOf(user), { kind: "user" });
    expect(page.webhooks).toEqual([expect.objectContaining({ id: hook.id, secretHint: `…${SECRET.slice(-4)}` })]);
    expect(JSON.stringify(page)).not.toContain(SECRET);
    expect(page.deliveries).toEqual([expect.objectContaining({ status: "delivered", lastStatusCode: 200, webhookUrl: rx.url })]);

    await removeWebhook(db, actorOf(user), { kind: "user" }, hook.id);
    const kinds = (await listEvents(db, { userId: user.id })).events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["webhook.created", "webhook.removed"]));
    expect(await db.$count(webhookDeliveries, eq(webhookDeliveries.webhookId, hook.id))).toBe(0);
  });

  it("org webhooks: owners and admins manage them, members and outsiders cannot; events filter deliveries", async () => {
    const db = await getDb();
    const rx = await receiver([200]);
    const cast = await makeCast(db);
    const scope = { kind: "org", slug: cast.slug } as const;
    const input = { url: rx.url, secret: SECRET, events: ["token.expiring" as const] };
    await expect(createWebhook(db, actorOf(cast.member), scope, input)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createWebhook(db, actorOf(cast.outsider), scope, input)).rejects.toMatchObject({ code: "not_found" });
    await expect(loadAlertsPage(db, actorOf(cast.member), scope)).rejects.toMatchObject({ code: "forbidden" });
    const hook = await createWebhook(db, actorOf(cast.admin), scope, input);
    expect((await emitAlertIn(db, { owner: { orgId: cast.orgId }, event: "credential.invalid", data: {} })).deliveries).toBe(0);
    expect((await emitAlertIn(db, { owner: { orgId: cast.orgId }, event: "token.expiring", data: {} })).deliveries).toBe(1);
    await deliverDue(db);
    const [request] = await rx.waitFor(1);
    expect(JSON.parse(request!.body)).toMatchObject({ type: "token.expiring", org: { id: cast.orgId, slug: cast.slug } });
    await expect(removeWebhook(db, actorOf(cast.member), scope, hook.id)).rejects.toMatchObject({ code: "forbidden" });
    await removeWebhook(db, actorOf(cast.owner), scope, hook.id);
  });
});
