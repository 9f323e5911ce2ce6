/**
 * The one door for alert events (webhooks and email). Callers name the owner whose webhooks and
 * people receive it, the event, and its data (no secrets). Delivery happens off the caller's path:
 * each matching webhook gets a pending row in webhook_deliveries (the worker in ./deliver.ts sends
 * it, with retries), and when SMTP is set the people concerned get an email (sent once, after the
 * rows are written; a failed email is logged, not retried).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { and, arrayContains, eq, inArray } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { memberships, organizations, users, webhookDeliveries, webhooks, type AlertEvent } from "@/db/schema";
import { configuredOrigin } from "@/lib/app-url";
import { describeError, log } from "@/lib/log";
import { mailConfigured, sendMail } from "@/lib/mail";
import { kickDeliveries } from "./deliver";

export type AlertOwner = { orgId: string } | { userId: string };

export type AlertInput = {
  owner: AlertOwner;
  event: AlertEvent;
  /** Event-specific fields, e.g. { credentialId, provider, reason } or { budgetId, scope, used, limit }. */
  data: Record<string, unknown>;
};

/** The JSON body every webhook receives (a delivery's `payload`, sent byte for byte). */
export type AlertPayload = {
  id: string;
  type: AlertEvent | "test";
  createdAt: string;
  org?: { id: string; slug: string; name: string };
  user?: { id: string };
  data: Record<string, unknown>;
};

/** What emitAlertIn wrote; call `afterCommit()` once the caller's transaction committed. */
export type EmittedAlert = { eventId: string; deliveries: number; afterCommit: () => void };

/** The payload for `owner` (org fields looked up), or null when the owner no longer exists. */
export async function alertPayload(
  db: Executor,
  owner: AlertOwner,
  type: AlertPayload["type"],
  data: Record<string, unknown>,
  eventId: string = randomUUID(),
): Promise<AlertPayload | null> {
  const base = { id: eventId, type, createdAt: new Date().toISOString() };
  if ("userId" in owner) return { ...base, user: { id: owner.userId }, data };
  const [org] = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, owner.orgId))
    .limit(1);
  return org ? { ...base, org, data } : null;
}

const ownerFilter = (owner: AlertOwner) =>
  "orgId" in owner ? eq(webhooks.ownerOrgId, owner.orgId) : eq(webhooks.ownerUserId, owner.userId);

/** Email addresses of the people an owner's alerts concern: an org's owners and admins, or the user. */
async function recipients(db: Executor, owner: AlertOwner): Promise<string[]> {
  const rows =
    "orgId" in owner
      ? await db
          .select({ email: users.email })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.orgId, owner.orgId), inArray(memberships.role, ["owner", "admin"])))
      : await db.select({ email: users.email }).from(users).where(eq(users.id, owner.userId));
  return rows.map((r) => r.email);
}

const SUBJECTS: Record<AlertEvent, string> = {
  "credential.invalid": "A provider key or model stopped working",
  "credential.quota": "A provider key ran out of quota",
  "budget.threshold": "A budget reached 80 %",
  "budget.exceeded": "A budget is used up",
  "token.expiring": "An agent token expires soon",
};

/** The plain-text email for a payload (data as `key: value` lines; never holds a secret). */
export function alertEmail(payload: AlertPayload): { subject: string; text: string } {
  const where = payload.org ? `organization “${payload.org.name}”` : "your account";
  const title = payload.type === "test" ? "Test event" : SUBJECTS[payload.type];
  const lines = Object.entries(payload.data).map(
    ([key, value]) => `  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`,
  );
  const origin = configuredOrigin();
  const page = payload.org ? `/orgs/${payload.org.slug}/alerts` : "/agent/alerts";
  return {
    subject: `[BYOK] ${title} (${where})`,
    text: [
      `${title} — ${payload.type} in ${where}, ${payload.createdAt}.`,
      "",
      ...lines,
      "",
      ...(origin ? [`Alerts and webhooks: ${origin}${page}`] : []),
    ].join("\n"),
  };
}

/**
 * Records the event inside the caller's transaction: one pending delivery per webhook of the owner
 * subscribed to it. Email and the worker's kick wait for `afterCommit()`.
 */
export async function emitAlertIn(db: Executor, input: AlertInput): Promise<EmittedAlert> {
  const eventId = randomUUID();
  const payload = await alertPayload(db, input.owner, input.event, input.data, eventId);
  if (!payload) return { eventId, deliveries: 0, afterCommit: () => {} };
  const targets = await db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(ownerFilter(input.owner), arrayContains(webhooks.events, [input.event])));
  if (targets.length > 0) {
    await db
      .insert(webhookDeliveries)
      .values(targets.map((t) => ({ webhookId: t.id, eventId, event: input.event, payload, status: "pending" as const })));
  }
  const emailTo = mailConfigured() ? await recipients(db, input.owner) : [];
  return {
    eventId,
    deliveries: targets.length,
    afterCommit: () => {
      if (targets.length > 0) kickDeliveries();
      if (emailTo.length === 0) return;
      const message = alertEmail(payload);
      // Sent once, in the background; sendMail logs a failure and it is not retried.
      for (const to of emailTo) void sendMail({ to, ...message });
    },
  };
}

/**
 * Records the event for every matching webhook of the owner (a pending delivery each) and queues
 * the email. Never throws into the caller: an alert that cannot be queued is logged.
 */
export async function emitAlert(input: AlertInput): Promise<void> {
  try {
    const db = await getDb();
    const emitted = await emitAlertIn(db, input);
    emitted.afterCommit();
  } catch (error) {
    log.warn("alert not queued", { event: input.event, reason: describeError(error) });
  }
}
