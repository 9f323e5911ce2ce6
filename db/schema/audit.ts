import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

/**
 * Who did what, when, from where. Never a secret: details hold ids, names, providers, outcomes.
 * Repeated config fetches by one token are coalesced per minute (`count`).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    kind: text("kind").notNull(),
    /** The user who acted (null when an agent token or the system did). */
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** The agent token that acted, for config fetches. */
    actorTokenId: uuid("actor_token_id"),
    actorIp: text("actor_ip"),
    /** Whose log it belongs to: a user's own events, and/or an organization's. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    targetType: text("target_type"),
    targetId: text("target_id"),
    outcome: text("outcome"),
    details: jsonb("details").$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    /** How many identical events this row stands for (coalesced config fetches). */
    count: integer("count").notNull().default(1),
    /** For coalescing: `<token id>:<minute>`; null otherwise. */
    coalesceKey: text("coalesce_key"),
  },
  (t) => [
    index("audit_events_user_idx").on(t.userId, t.occurredAt),
    index("audit_events_org_idx").on(t.orgId, t.occurredAt),
    uniqueIndex("audit_events_coalesce_key").on(t.coalesceKey),
  ],
);

/** Messages for a user's dashboard (e.g. "your default was cleared because …"), dismissible. */
export const userNotices = pgTable(
  "user_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    dismissedAt: timestamp("dismissed_at", { withTimezone: true }),
  },
  (t) => [index("user_notices_user_idx").on(t.userId)],
);
