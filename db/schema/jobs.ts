import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Leases for background jobs (e.g. the periodic re-validation): an instance runs a job only while it
 * holds the lease, taken with one conditional UPDATE, so several app instances never run it at once.
 */
export const jobLeases = pgTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder"),
  leasedUntil: timestamp("leased_until", { withTimezone: true }),
  lastRunAt: timestamp("last_run_at", { withTimezone: true }),
});
