/**
 * Webhooks of an organization (its owners and admins manage them) or of a user (their own). The
 * URL must be one the guarded fetch may reach (checked now, and again by every delivery); the
 * signing secret is sealed like provider keys (envelope encryption, re-wrapped by keys:rotate) and
 * only its last four characters are ever shown again.
 */
import "server-only";
import { promises as dns } from "node:dns";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { ALERT_EVENTS, webhookDeliveries, webhooks, type AlertEvent, type DeliveryStatus, type Webhook } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import type { CredentialScope, ScopeActor } from "@/lib/credentials/service";
import { DecryptionError, openSecrets, sealSecrets, type SecretContext } from "@/lib/crypto/envelope";
import { masterKeyring } from "@/lib/crypto/master-keys";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { checkAddress, checkUrl, parseAllowList } from "@/lib/net/host-policy";
import { loadOrgAccess, requireOrgPermission } from "@/lib/orgs/access";
import { can } from "@/lib/orgs/roles";
import { isUuid, orgOwner, ownedBy, ownerColumns, userOwner, type Owner } from "@/lib/owners";

export const MAX_WEBHOOKS = 10;
export const SECRET_MIN = 16;

/** The form: URL, secret, and one checkbox per event (`event:<name>` = "on"). */
export const webhookFormSchema = z
  .object({
    url: z
      .string()
      .trim()
      .min(1, "Enter the URL that receives the events.")
      .max(2000, "That URL is too long.")
      .pipe(z.url({ protocol: /^https?$/, error: "Enter a full https:// URL." })),
    secret: z
      .string()
      .min(SECRET_MIN, `The secret needs at least ${SECRET_MIN} characters.`)
      .max(200, "The secret may have at most 200 characters."),
    ...Object.fromEntries(ALERT_EVENTS.map((e) => [`event:${e}`, z.literal("on").optional()])),
  })
  .transform((form, ctx) => {
    const record = form as Record<string, string | undefined>;
    const events = ALERT_EVENTS.filter((e) => record[`event:${e}`] === "on");
    if (events.length === 0) {
      ctx.addIssue({ code: "custom", path: ["events"], message: "Choose at least one event." });
      return z.NEVER;
    }
    return { url: form.url, secret: form.secret, events };
  });

export type WebhookInput = { url: string; secret: string; events: AlertEvent[] };

export type WebhookView = { id: string; url: string; events: AlertEvent[]; secretHint: string; createdAt: string };

export type DeliveryView = {
  id: string;
  webhookId: string;
  webhookUrl: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string;
};

export type AlertsPage = { canEdit: boolean; webhooks: WebhookView[]; deliveries: DeliveryView[] };

/** The envelope context of a webhook secret: bound to the webhook id and owner. */
export const webhookSecretContext = (id: string, owner: Owner): SecretContext => ({ credentialId: id, owner, provider: "webhook" });

export const webhookOwner = (row: Pick<Webhook, "ownerUserId" | "ownerOrgId">): Owner =>
  row.ownerOrgId ? orgOwner(row.ownerOrgId) : userOwner(row.ownerUserId!);

/** The stored secret in clear (for signing only); throws DecryptionError. */
export function openWebhookSecret(
  row: Pick<Webhook, "id" | "ownerUserId" | "ownerOrgId" | "secretCiphertext" | "wrappedDataKey" | "keyVersion">,
): string {
  const secret = openSecrets(row, webhookSecretContext(row.id, webhookOwner(row)), masterKeyring()).secret;
  if (!secret) throw new DecryptionError("malformed", "The stored webhook secret is malformed.");
  return secret;
}

function refuse(message: string): AppError {
  return new AppError("invalid_request", message, { fieldErrors: { url: message } });
}

/**
 * Checks a webhook URL against the outbound policy now (the delivery checks again, pinned): https,
 * or http for allow-listed hosts; its name must not resolve to a private address unless allowed.
 */
export async function checkWebhookUrl(input: string, resolve = (host: string) => dns.lookup(host, { all: true, verbatim: true })) {
  const list = parseAllowList(env.ALLOW_PRIVATE_API_HOSTS);
  const target = checkUrl(list, input);
  if (!target.ok) throw refuse(`${target.host || "That URL"} cannot receive webhooks: ${target.reason}`);
  if (target.literal) return;
  let addresses: { address: string }[];
  try {
    addresses = await resolve(target.host);
  } catch {
    throw refuse(`${target.host} cannot receive webhooks: the host name does not resolve`);
  }
  for (const { address } of addresses) {
    const verdict = checkAddress(list, { host: target.host, address, plainHttp: target.plainHttp });
    if (!verdict.ok) throw refuse(`${target.host} cannot receive webhooks: ${verdict.reason}`);
  }
}

/** The owner of a scope's webhooks; org webhooks need manage_credentials (owners and admins). */
export async function alertsOwner(
  db: Executor,
  actor: ScopeActor,
  scope: CredentialScope,
  edit = true,
): Promise<{ owner: Owner; canEdit: boolean }> {
  if (scope.kind === "user") return { owner: userOwner(actor.userId), canEdit: true };
  if (edit)
    return { owner: orgOwner((await requireOrgPermission(db, scope.slug, actor.userId, "manage_credentials")).org.id), canEdit: true };
  const access = await loadOrgAccess(db, scope.slug, actor.userId);
  if (!can(access.role, "manage_credentials")) throw new AppError("forbidden", "Only owners and admins manage the organization's alerts.");
  return { owner: orgOwner(access.org.id), canEdit: true };
}

const eventScope = (actor: ScopeActor, owner: Owner) => (owner.type === "org" ? { orgId: owner.id } : { userId: actor.userId });

function hintOf(row: Webhook): string {
  try {
    return `…${openWebhookSecret(row).slice(-4)}`;
  } catch {
    return "unreadable: save a new webhook";
  }
}

export async function createWebhook(db: Database, actor: ScopeActor, scope: CredentialScope, input: WebhookInput): Promise<WebhookView> {
  const { owner } = await alertsOwner(db, actor, scope);
  await checkWebhookUrl(input.url);
  if ((await db.$count(webhooks, ownedBy(webhooks, owner))) >= MAX_WEBHOOKS)
    throw new AppError("conflict", `At most ${MAX_WEBHOOKS} webhooks; remove one first.`);
  const id = crypto.randomUUID();
  const sealed = sealSecrets({ secret: input.secret }, webhookSecretContext(id, owner), masterKeyring());
  const [row] = await db
    .insert(webhooks)
    .values({ id, ...ownerColumns(owner), url: input.url, events: input.events, ...sealed, createdByUserId: actor.userId })
    .returning();
  await recordEvent(db, {
    kind: "webhook.created",
    actor,
    scope: eventScope(actor, owner),
    target: { type: "webhook", id },
    details: { host: new URL(input.url).host, events: input.events.length },
  });
  return { id, url: row!.url, events: row!.events, secretHint: `…${input.secret.slice(-4)}`, createdAt: row!.createdAt.toISOString() };
}

export async function removeWebhook(db: Database, actor: ScopeActor, scope: CredentialScope, webhookId: string): Promise<void> {
  const { owner } = await alertsOwner(db, actor, scope);
  const [removed] = isUuid(webhookId)
    ? await db
        .delete(webhooks)
        .where(and(eq(webhooks.id, webhookId), ownedBy(webhooks, owner)))
        .returning({ url: webhooks.url })
    : [];
  if (!removed) throw new AppError("not_found", "That webhook no longer exists.");
  await recordEvent(db, {
    kind: "webhook.removed",
    actor,
    scope: eventScope(actor, owner),
    target: { type: "webhook", id: webhookId },
    details: { host: new URL(removed.url).host },
  });
}

/** One of the scope's webhooks, or not_found. */
export async function findWebhook(db: Executor, owner: Owner, webhookId: string): Promise<Webhook> {
  const [row] = isUuid(webhookId)
    ? await db
        .select()
        .from(webhooks)
        .where(and(eq(webhooks.id, webhookId), ownedBy(webhooks, owner)))
        .limit(1)
    : [];
  if (!row) throw new AppError("not_found", "That webhook no longer exists.");
  return row;
}

/** The Alerts page: webhooks (secret as a hint) and the newest deliveries. */
export async function loadAlertsPage(db: Database, actor: ScopeActor, scope: CredentialScope, limit = 50): Promise<AlertsPage> {
  const { owner, canEdit } = await alertsOwner(db, actor, scope, false);
  const rows = await db.select().from(webhooks).where(ownedBy(webhooks, owner)).orderBy(webhooks.createdAt);
  const deliveries = await db
    .select({
      id: webhookDeliveries.id,
      webhookId: webhookDeliveries.webhookId,
      webhookUrl: webhooks.url,
      event: webhookDeliveries.event,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(ownedBy(webhooks, owner))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
  return {
    canEdit,
    webhooks: rows.map((row) => ({
      id: row.id,
      url: row.url,
      events: row.events,
      secretHint: hintOf(row),
      createdAt: row.createdAt.toISOString(),
    })),
    deliveries: deliveries.map((d) => ({
      ...d,
      createdAt: d.createdAt.toISOString(),
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      nextAttemptAt: d.nextAttemptAt.toISOString(),
    })),
  };
}
