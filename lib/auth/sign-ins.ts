/** Successful sign-ins, for the account page's "Recent sign-ins". Never a failed attempt, never a password. */
import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { signIns } from "@/db/schema";

export type SignInMethod = "password" | "sso";
export type SignInRecord = { at: Date; method: SignInMethod; ip: string | null; userAgent: string | null };

/** Records a sign-in. The user agent is cut to 300 characters: it is shown, not parsed for trust. */
export async function recordSignIn(
  db: Executor,
  entry: { userId: string; method: SignInMethod; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db.insert(signIns).values({ ...entry, userAgent: entry.userAgent?.slice(0, 300) ?? null });
}

/** The user's most recent sign-ins, newest first. */
export async function recentSignIns(db: Executor, userId: string, limit = 10): Promise<SignInRecord[]> {
  return db
    .select({ at: signIns.at, method: signIns.method, ip: signIns.ip, userAgent: signIns.userAgent })
    .from(signIns)
    .where(eq(signIns.userId, userId))
    .orderBy(desc(signIns.at))
    .limit(limit);
}
