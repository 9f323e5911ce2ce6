import { sql } from "drizzle-orm";
import { bigint, check, date, index, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { providerCredentials } from "./credentials";
import { users } from "./users";

/**
 * Daily rollup of gateway_usage, kept up to date by the same statement that writes usage rows, so
 * the usage pages read a few rows per day instead of millions. One row per day (UTC), token,
 * credential and model (`''` when the request named none). `org_id` and `user_id` copy the usage
 * rows' (the token determines both). No foreign keys, as for gateway_usage: history outlives what
 * it names.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    tokenId: uuid("token_id").notNull(),
    credentialId: uuid("credential_id").notNull(),
    model: text("model").notNull().default(""),
    orgId: uuid("org_id"),
    userId: uuid("user_id"),
    provider: text("provider").notNull(),
    requests: bigint("requests", { mode: "number" }).notNull().default(0),
    /** Requests answered with a status of 400 or more (BYOK's own 502/504 included). */
    errors: bigint("errors", { mode: "number" }).notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.tokenId, t.credentialId, t.model] }),
    index("usage_daily_org_day_idx").on(t.orgId, t.day),
    index("usage_daily_user_day_idx").on(t.userId, t.day),
    index("usage_daily_credential_day_idx").on(t.credentialId, t.day),
  ],
);

/**
 * Optional prices an owner or admin sets per model of an org credential, per million tokens, so
 * usage can show an estimated cost. There is no built-in price table.
 */
export const credentialPrices = pgTable(
  "credential_prices",
  {
    credentialId: uuid("credential_id")
      .notNull()
      .references(() => providerCredentials.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    inputPerMillion: numeric("input_per_million", { precision: 14, scale: 6 }).notNull(),
    outputPerMillion: numeric("output_per_million", { precision: 14, scale: 6 }).notNull(),
    updatedByUserId: uuid("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.credentialId, t.model] }),
    check("credential_prices_non_negative", sql`${t.inputPerMillion} >= 0 and ${t.outputPerMillion} >= 0`),
  ],
);

export type UsageDaily = typeof usageDaily.$inferSelect;
export type CredentialPrice = typeof credentialPrices.$inferSelect;
