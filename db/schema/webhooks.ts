import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

export const ALERT_EVENTS = ["credential.invalid", "credential.quota", "budget.threshold", "budget.exceeded", "token.expiring"] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/**
 * A webhook of an organization or a user. The signing secret is sealed like credential secrets
 * (envelope encryption under the master keyring; rotated by keys:rotate). `events` lists the
 * alert events it receives.
 */
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "cascade" }),
    ownerOrgId: uuid("owner_org_id").references(() => organizations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    secretCiphertext: text("secret_ciphertext").notNull(),
    wrappedDataKey: text("wrapped_data_key").notNull(),
    keyVersion: text("key_version").notNull(),
    events: text("events").array().$type<AlertEvent[]>().notNull(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("webhooks_one_owner", sql`num_nonnulls(${t.ownerUserId}, ${t.ownerOrgId}) = 1`),
    index("webhooks_owner_user_idx").on(t.ownerUserId),
    index("webhooks_owner_org_idx").on(t.ownerOrgId),
    index("webhooks_key_version_idx").on(t.keyVersion),
  ],
);

export type DeliveryStatus = "pending" | "delivered" | "failed";

/**
 * One event for one webhook, and its delivery: retried with backoff until delivered or 24 h old.
 * `payload` is the exact JSON body sent (it never holds a secret).
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").notNull(),
    event: text("event").notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status").$type<DeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt),
  ],
);

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
