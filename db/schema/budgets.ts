import { sql } from "drizzle-orm";
import { bigint, check, date, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { providerCredentials } from "./credentials";
import { organizations } from "./organizations";
import { agentTokens } from "./tokens";
import { users } from "./users";

export type BudgetScope = "credential" | "member" | "token";

/**
 * A monthly limit (requests and/or tokens) on gateway use: of an org credential (everyone's use),
 * of a member across the org's credentials, or of one token. `org_id` is the organization for
 * credential and member budgets and for org tokens; null for a personal token's budget.
 */
export const budgets = pgTable(
  "budgets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scope: text("scope").$type<BudgetScope>().notNull(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    credentialId: uuid("credential_id").references(() => providerCredentials.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    tokenId: uuid("token_id").references(() => agentTokens.id, { onDelete: "cascade" }),
    requestLimit: bigint("request_limit", { mode: "number" }),
    tokenLimit: bigint("token_limit", { mode: "number" }),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "budgets_target",
      sql`(${t.scope} = 'credential' and ${t.credentialId} is not null and ${t.orgId} is not null and ${t.userId} is null and ${t.tokenId} is null)
       or (${t.scope} = 'member' and ${t.userId} is not null and ${t.orgId} is not null and ${t.credentialId} is null and ${t.tokenId} is null)
       or (${t.scope} = 'token' and ${t.tokenId} is not null and ${t.credentialId} is null and ${t.userId} is null)`,
    ),
    check("budgets_some_limit", sql`num_nonnulls(${t.requestLimit}, ${t.tokenLimit}) >= 1`),
    check("budgets_positive", sql`coalesce(${t.requestLimit}, 1) > 0 and coalesce(${t.tokenLimit}, 1) > 0`),
    uniqueIndex("budgets_credential_key")
      .on(t.credentialId)
      .where(sql`${t.scope} = 'credential'`),
    uniqueIndex("budgets_member_key")
      .on(t.orgId, t.userId)
      .where(sql`${t.scope} = 'member'`),
    uniqueIndex("budgets_token_key")
      .on(t.tokenId)
      .where(sql`${t.scope} = 'token'`),
  ],
);

/**
 * A budget's counters for one calendar month (UTC; `month` is its first day). Requests are
 * counted when the gateway admits them, tokens when the answer's usage is known. The notified
 * columns make the 80 % and 100 % alerts fire once a month.
 */
export const budgetCounters = pgTable(
  "budget_counters",
  {
    budgetId: uuid("budget_id")
      .notNull()
      .references(() => budgets.id, { onDelete: "cascade" }),
    month: date("month", { mode: "string" }).notNull(),
    requests: bigint("requests", { mode: "number" }).notNull().default(0),
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
    thresholdNotifiedAt: timestamp("threshold_notified_at", { withTimezone: true }),
    exceededNotifiedAt: timestamp("exceeded_notified_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.budgetId, t.month] })],
);

export type Budget = typeof budgets.$inferSelect;
export type BudgetCounter = typeof budgetCounters.$inferSelect;
