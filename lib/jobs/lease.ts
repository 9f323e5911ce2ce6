/**
 * Job leases in the database: `tryAcquire` takes a named lease with one conditional upsert, so
 * only one app instance at a time runs a job (PostgreSQL or PGlite alike). A holder that dies
 * loses its lease when it expires.
 */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobLeases } from "@/db/schema";

export type Lease = { name: string; holder: string; lastRunAt: Date | null };

/** Takes the lease for `ttlMs` if it is free or expired (or already ours). */
export async function tryAcquireLease(db: Executor, name: string, holder: string, ttlMs: number): Promise<Lease | null> {
  const until = new Date(Date.now() + ttlMs);
  const rows = await db
    .insert(jobLeases)
    .values({ name, holder, leasedUntil: until })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder, leasedUntil: until },
      setWhere: sql`${jobLeases.leasedUntil} is null or ${jobLeases.leasedUntil} < now() or ${jobLeases.holder} = ${holder}`,
    })
    .returning({ name: jobLeases.name, holder: jobLeases.holder, lastRunAt: jobLeases.lastRunAt });
  const row = rows[0];
  return row && row.holder === holder ? { name, holder, lastRunAt: row.lastRunAt } : null;
}

/** Extends a lease we hold; false when it was lost (expired and taken by another instance). */
export async function renewLease(db: Executor, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await db
    .update(jobLeases)
    .set({ leasedUntil: new Date(Date.now() + ttlMs) })
    .where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)))
    .returning({ name: jobLeases.name });
  return rows.length > 0;
}

/** Gives the lease back, optionally recording that the job just ran. */
export async function releaseLease(db: Executor, name: string, holder: string, ranAt?: Date): Promise<void> {
  await db
    .update(jobLeases)
    .set({ holder: null, leasedUntil: null, ...(ranAt ? { lastRunAt: ranAt } : {}) })
    .where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)));
}
