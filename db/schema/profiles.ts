import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { providerCredentials } from "./credentials";
import { organizations } from "./organizations";
import { users } from "./users";

/**
 * A model profile: a name (a slug such as `coder`) owned by a user or an organization, naming an
 * ordered list of models an agent asking for it gets (the first usable one, the rest as fallbacks).
 * `version` guards concurrent edits of the profile and its entries.
 */
export const modelProfiles = pgTable(
  "model_profiles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "cascade" }),
    ownerOrgId: uuid("owner_org_id").references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("model_profiles_one_owner", sql`num_nonnulls(${t.ownerUserId}, ${t.ownerOrgId}) = 1`),
    check("model_profiles_name", sql`${t.name} ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'`),
    uniqueIndex("model_profiles_user_name_key")
      .on(t.ownerUserId, t.name)
      .where(sql`${t.ownerUserId} is not null`),
    uniqueIndex("model_profiles_org_name_key")
      .on(t.ownerOrgId, t.name)
      .where(sql`${t.ownerOrgId} is not null`),
  ],
);

/**
 * One model of a profile, at `position` (0 first). A removed credential takes its entries with it.
 * `parameters` overrides the credential's own model parameters key by key (null: none).
 */
export const modelProfileEntries = pgTable(
  "model_profile_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    profileId: uuid("profile_id")
      .notNull()
      .references(() => modelProfiles.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    credentialId: uuid("credential_id")
      .notNull()
      .references(() => providerCredentials.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    parameters: jsonb("parameters").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("model_profile_entries_position", sql`${t.position} between 0 and 4`),
    index("model_profile_entries_profile_idx").on(t.profileId, t.position),
    index("model_profile_entries_credential_idx").on(t.credentialId),
  ],
);
