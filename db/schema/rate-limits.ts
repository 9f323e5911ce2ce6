import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Counters for rate-limiter-flexible's RateLimiterDrizzle (failed sign-ins per email and per IP),
 * shared by every app instance through the database. Column names are the library's contract.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamp("expire", { withTimezone: true }),
});
