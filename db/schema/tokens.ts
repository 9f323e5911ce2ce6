import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

/**
 * Agent tokens: `byok_` + 32 random bytes, shown once. Only the SHA-256 (hex) and the last four
 * characters are kept. Owner is a user (personal token) or an organization (org token).
 */
export const agentTokens = pgTable(
  "agent_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "cascade" }),
    ownerOrgId: uuid("owner_org_id").references(() => organizations.id, { onDelete: "cascade" }),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Personal tokens: the organization whose default applies when the user has none of their own. */
    scopeOrgId: uuid("scope_org_id").references(() => organizations.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    lastFour: text("last_four").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** When the token.expiring alert (7 days before expiry) went out; null until then. */
    expiryNotifiedAt: timestamp("expiry_notified_at", { withTimezone: true }),
  },
  (t) => [
    check("agent_tokens_one_owner", sql`num_nonnulls(${t.ownerUserId}, ${t.ownerOrgId}) = 1`),
    uniqueIndex("agent_tokens_hash_key").on(t.tokenHash),
    index("agent_tokens_owner_user_idx").on(t.ownerUserId),
    index("agent_tokens_owner_org_idx").on(t.ownerOrgId),
  ],
);

export type AgentToken = typeof agentTokens.$inferSelect;
