import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

/**
 * One provider configuration of one owner (a user or an organization, exactly one of them).
 * Secret fields live only in `secret_ciphertext`, encrypted under a per-row data key that is
 * wrapped by master key `key_version` (see lib/crypto). `version` guards concurrent edits.
 */
export const providerCredentials = pgTable(
  "provider_credentials",
  {
    id: uuid("id").primaryKey(),
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "cascade" }),
    ownerOrgId: uuid("owner_org_id").references(() => organizations.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    apiHost: text("api_host").notNull(),
    /** Non-secret provider fields (apiVersion, deploymentName, region, …). */
    extra: jsonb("extra").$type<Record<string, string>>().notNull().default({}),
    /** base64(iv ‖ ciphertext ‖ tag) of the JSON object of secret fields. */
    secretCiphertext: text("secret_ciphertext").notNull(),
    /** base64(iv ‖ wrapped data key ‖ tag), under master key `keyVersion`. */
    wrappedDataKey: text("wrapped_data_key").notNull(),
    keyVersion: text("key_version").notNull(),
    /** Org credentials: shared with every member ("all") or only with the users in credential_shares ("selected"). */
    shareMode: text("share_mode").$type<"all" | "selected">().notNull().default("all"),
    /**
     * What agents receive: "key" (the config answer carries the key) or "gateway" (the key never
     * leaves BYOK; agents call /api/v1/gateway/<id>). Personal credentials default to "key", org
     * credentials to "gateway" (set on insert by the service).
     */
    delivery: text("delivery").$type<"key" | "gateway">().notNull().default("key"),
    /** Model parameters returned to agents as `parameters` (a JSON object), or null. */
    parameters: jsonb("parameters").$type<Record<string, unknown>>(),
    /** What the last check learned about the model, e.g. { tools: "supported" }. */
    capabilities: jsonb("capabilities").$type<{ tools?: "supported" | "unsupported" | "unknown" }>().notNull().default({}),
    /** Hints of secret fields for display, e.g. { apiKey: "sk-proj-…MxYA" }. */
    secretHints: jsonb("secret_hints").$type<Record<string, string>>().notNull().default({}),
    /** valid | invalid | unverified */
    status: text("status").notNull(),
    /** Validation outcome code (valid, invalid_key, rate_limited, …). */
    statusCode: text("status_code").notNull(),
    /** Human-readable detail of the last check (masked; never a key). */
    statusDetail: text("status_detail"),
    validatedAt: timestamp("validated_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("provider_credentials_one_owner", sql`num_nonnulls(${t.ownerUserId}, ${t.ownerOrgId}) = 1`),
    check("provider_credentials_status", sql`${t.status} in ('valid', 'invalid', 'unverified')`),
    check("provider_credentials_share_mode", sql`${t.shareMode} in ('all', 'selected')`),
    check("provider_credentials_delivery", sql`${t.delivery} in ('key', 'gateway')`),
    uniqueIndex("provider_credentials_user_provider_key")
      .on(t.ownerUserId, t.provider)
      .where(sql`${t.ownerUserId} is not null`),
    uniqueIndex("provider_credentials_org_provider_key")
      .on(t.ownerOrgId, t.provider)
      .where(sql`${t.ownerOrgId} is not null`),
    index("provider_credentials_key_version_idx").on(t.keyVersion),
    index("provider_credentials_validated_at_idx").on(t.validatedAt),
  ],
);

/** A user's default credential: the primary key makes "one default per user" a database fact. */
export const userDefaults = pgTable(
  "user_defaults",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    credentialId: uuid("credential_id")
      .notNull()
      .references(() => providerCredentials.id, { onDelete: "cascade" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("user_defaults_credential_idx").on(t.credentialId)],
);

/** Members an org credential is shared with, when its share mode is "selected". */
export const credentialShares = pgTable(
  "credential_shares",
  {
    credentialId: uuid("credential_id")
      .notNull()
      .references(() => providerCredentials.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.userId] }), index("credential_shares_user_idx").on(t.userId)],
);

/** An organization's default credential (one of its own). */
export const orgDefaults = pgTable(
  "org_defaults",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    credentialId: uuid("credential_id")
      .notNull()
      .references(() => providerCredentials.id, { onDelete: "cascade" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("org_defaults_credential_idx").on(t.credentialId)],
);

export type ProviderCredential = typeof providerCredentials.$inferSelect;
