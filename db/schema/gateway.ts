import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * One row per request through the gateway, written in batches off the response path. No foreign
 * keys: usage outlives the token, credential or member it names (history for usage pages), and a
 * batch insert must never fail because a row was deleted meanwhile.
 */
export const gatewayUsage = pgTable(
  "gateway_usage",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    tokenId: uuid("token_id").notNull(),
    /** The acting user for a personal token; null for an org token. */
    userId: uuid("user_id"),
    /** The organization of an org token, or of the credential when it is an org credential. */
    orgId: uuid("org_id"),
    credentialId: uuid("credential_id").notNull(),
    provider: text("provider").notNull(),
    /** From the request body (or the Azure deployment / Bedrock model in the path); null when absent. */
    model: text("model"),
    /** The forwarded path, without the query string. */
    path: text("path").notNull(),
    /** The upstream's status, or BYOK's own (502, 504) when the upstream never answered. */
    status: integer("status").notNull(),
    ttfbMs: integer("ttfb_ms"),
    durationMs: integer("duration_ms").notNull(),
    streamed: boolean("streamed").notNull().default(false),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
  },
  (t) => [
    check("gateway_usage_status", sql`${t.status} between 100 and 599`),
    index("gateway_usage_credential_at_idx").on(t.credentialId, t.at),
    index("gateway_usage_org_at_idx").on(t.orgId, t.at),
    index("gateway_usage_user_at_idx").on(t.userId, t.at),
    index("gateway_usage_token_at_idx").on(t.tokenId, t.at),
  ],
);

export type GatewayUsage = typeof gatewayUsage.$inferSelect;
