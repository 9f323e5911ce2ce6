/**
 * The activity log: who did what, when, from where. Details carry ids, names, providers and
 * outcomes, never a secret (recordEvent refuses detail values that look like keys).
 */
import "server-only";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Executor, PreparedQuery } from "@/db/client";
import { agentTokens, auditEvents, organizations, users } from "@/db/schema";
import { log } from "@/lib/log";

export const EVENT_KINDS = [
  "credential.created",
  "credential.updated",
  "credential.validated",
  "credential.removed",
  "credential.delivery_changed",
  "default.changed",
  "org_default.changed",
  "share.changed",
  "token.created",
  "token.revoked",
  "config.fetched",
  "org.created",
  "member.invited",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "member.left",
  "ownership.transferred",
  "invitation.revoked",
  "keys.rotated",
  "account.password_reset",
  "account.password_changed",
  "account.signed_out_everywhere",
  "account.sso_linked",
  "profile.created",
  "profile.updated",
  "profile.deleted",
  "webhook.created",
  "webhook.removed",
  "credential.price_set",
  "credential.price_removed",
  "budget.set",
  "budget.removed",
  "budget.threshold",
  "budget.exceeded",
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === "string" && (EVENT_KINDS as readonly string[]).includes(value);
}
export type Actor = { userId?: string | null; tokenId?: string | null; ip?: string | null };
export type EventScope = { userId?: string | null; orgId?: string | null };
export type EventDetails = Record<string, string | number | boolean | null>;

export type NewEvent = {
  kind: EventKind;
  actor: Actor;
  scope: EventScope;
  target?: { type: string; id: string };
  outcome?: string;
  details?: EventDetails;
};

// Long opaque strings, key prefixes: never stored in details.
const LOOKS_SECRET = /(sk-|sk_|byok_|AKIA|ASIA|AIza|eyJ)[A-Za-z0-9._-]{8,}|[A-Za-z0-9+/_-]{40,}/;

function safeDetails(details: EventDetails | undefined): EventDetails {
  const out: EventDetails = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    out[key] = typeof value === "string" && LOOKS_SECRET.test(value) ? "[redacted]" : value;
  }
  return out;
}

export function eventValues(event: NewEvent) {
  return {
    kind: event.kind,
    actorUserId: event.actor.userId ?? null,
    actorTokenId: event.actor.tokenId ?? null,
    actorIp: event.actor.ip ?? null,
    userId: event.scope.userId ?? null,
    orgId: event.scope.orgId ?? null,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    outcome: event.outcome ?? null,
    details: safeDetails(event.details),
  };
}

/** Records an event. A failure to record is logged and never fails the action it describes. */
export async function recordEvent(db: Executor, event: NewEvent): Promise<void> {
  try {
    await db.insert(auditEvents).values(eventValues(event));
  } catch (error) {
    log.warn("could not record an activity event", { kind: event.kind, reason: error instanceof Error ? error.message : "unknown" });
  }
}

export type ActivityEvent = {
  id: string;
  occurredAt: string;
  kind: string;
  actorName: string | null;
  actorTokenId: string | null;
  /** The acting token's name and last four characters, when it still exists. */
  actorTokenName: string | null;
  actorTokenLastFour: string | null;
  /** The organization the event belongs to, if any. */
  orgName: string | null;
  actorIp: string | null;
  targetType: string | null;
  targetId: string | null;
  outcome: string | null;
  details: EventDetails;
  count: number;
};

export type ActivityPage = { events: ActivityEvent[]; nextCursor: string | null };

function decodeCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  return Number.isNaN(date.getTime()) || !id || !/^[0-9a-f-]{36}$/i.test(id) ? null : { at: date, id };
}

const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`, "utf8").toString("base64url");

/** One page of events, newest first, for a user (their own and what they did) or an organization. */
export async function listEvents(
  db: Executor,
  scope: { userId: string } | { orgId: string },
  options: { kind?: string | null; cursor?: string | null; limit?: number } = {},
): Promise<ActivityPage> {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const filters: SQL[] = [
    "userId" in scope
      ? or(eq(auditEvents.userId, scope.userId), eq(auditEvents.actorUserId, scope.userId))!
      : eq(auditEvents.orgId, scope.orgId),
  ];
  if (options.kind) filters.push(eq(auditEvents.kind, options.kind));
  const cursor = decodeCursor(options.cursor);
  if (cursor) {
    filters.push(or(lt(auditEvents.occurredAt, cursor.at), and(eq(auditEvents.occurredAt, cursor.at), lt(auditEvents.id, cursor.id)))!);
  }
  const rows = await db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      kind: auditEvents.kind,
      actorName: users.name,
      actorTokenId: auditEvents.actorTokenId,
      actorTokenName: agentTokens.name,
      actorTokenLastFour: agentTokens.lastFour,
      orgName: organizations.name,
      actorIp: auditEvents.actorIp,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      outcome: auditEvents.outcome,
      details: auditEvents.details,
      count: auditEvents.count,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(agentTokens, eq(agentTokens.id, auditEvents.actorTokenId))
    .leftJoin(organizations, eq(organizations.id, auditEvents.orgId))
    .where(and(...filters))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.occurredAt, last.id) : null,
  };
}

/** The rows are eventValues() plus count and coalesceKey, as JSON: the column list names its keys. */
const COALESCED_SQL = `
insert into audit_events (kind, actor_user_id, actor_token_id, actor_ip, user_id, org_id, target_type, target_id,
  outcome, details, count, coalesce_key)
select v.kind, v."actorUserId", v."actorTokenId", v."actorIp", v."userId", v."orgId", v."targetType", v."targetId",
  v.outcome, coalesce(v.details, '{}'::jsonb), v.count, v."coalesceKey"
from jsonb_to_recordset($1::jsonb) as v(kind text, "actorUserId" uuid, "actorTokenId" uuid, "actorIp" text, "userId" uuid,
  "orgId" uuid, "targetType" text, "targetId" text, outcome text, details jsonb, count integer, "coalesceKey" text)
on conflict (coalesce_key) do update set count = audit_events.count + excluded.count`;

/**
 * Adds each entry's count to its coalesced row (by key), creating rows the first time: one
 * statement with one JSON parameter (a batch holds hundreds of rows under agent load; bound one
 * column at a time they cost the server more than the requests they describe).
 * Keys must be distinct within a batch (the batcher keeps one item per key).
 */
export async function recordCoalesced(query: PreparedQuery, entries: { key: string; event: NewEvent; count: number }[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(({ key, event, count }) => ({ ...eventValues(event), count, coalesceKey: key }));
  await query(COALESCED_SQL, [JSON.stringify(rows)]);
}
