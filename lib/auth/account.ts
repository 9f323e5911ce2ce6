/**
 * The signed-in user's own account: name, password, sessions, recent sign-ins, deletion
 * (./delete-account.ts). Every function takes the database first and acts on `userId` only.
 *
 * Sessions: each cookie carries the session version it was issued under (lib/auth/session-check.ts).
 * Changing the password or "Sign out of all devices" bumps the version, so every existing cookie is
 * refused on its next request; after a password change the action re-issues the current browser's
 * cookie under the new version (lib/auth/session-cookie.ts).
 */
import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import type { ChangeNameInput, ChangePasswordInput } from "./account-schemas";
import { confirmPassword } from "./confirm-password";
import { hashPassword } from "./password";
import { recentSignIns, type SignInMethod } from "./sign-ins";
import { describeUserAgent } from "./user-agent";

export { deleteAccount, lastOwnedOrgs } from "./delete-account";

export type AccountActor = { userId: string; ip: string | null };

export type AccountView = { name: string; email: string; hasPassword: boolean };

export type SignInView = { at: string; method: SignInMethod; ip: string | null; browser: string };

const ended = () => new AppError("unauthorized", "Your session has ended. Sign in again.");

export async function getAccount(db: Executor, userId: string): Promise<AccountView | undefined> {
  const [row] = await db
    .select({ name: users.name, email: users.email, hasPassword: sql<boolean>`${users.passwordHash} is not null` })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

/** The last `limit` successful sign-ins, newest first, with a readable browser ("Chrome on Linux"). */
export async function listRecentSignIns(db: Executor, userId: string, limit = 10): Promise<SignInView[]> {
  const rows = await recentSignIns(db, userId, limit);
  return rows.map((r) => ({ at: r.at.toISOString(), method: r.method, ip: r.ip, browser: describeUserAgent(r.userAgent) }));
}

export async function changeName(db: Executor, userId: string, input: ChangeNameInput): Promise<{ name: string }> {
  const [row] = await db
    .update(users)
    .set({ name: input.name, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ name: users.name });
  if (!row) throw ended();
  return row;
}

/** Adds one to the user's session version: every cookie issued before is refused from its next request. */
export async function bumpSessionVersion(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  if (!row) throw ended();
  return row.sessionVersion;
}

/** "Sign out of all devices": returns the new session version (the caller signs this browser out too). */
export async function signOutEverywhere(db: Executor, actor: AccountActor): Promise<number> {
  const version = await bumpSessionVersion(db, actor.userId);
  await recordEvent(db, { kind: "account.signed_out_everywhere", actor, scope: { userId: actor.userId } });
  return version;
}

/**
 * Checks the current password (throttled like sign-in), stores the new one's hash and bumps the
 * session version in one statement. Returns the new version, for re-issuing this browser's cookie.
 * Throws AppError: invalid_request (wrong current password, SSO-only account, same password),
 * rate_limited, unauthorized (account gone).
 */
export async function changePassword(db: Database, actor: AccountActor, input: ChangePasswordInput): Promise<{ sessionVersion: number }> {
  const [row] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
  if (!row) throw ended();
  if (row.passwordHash === null) {
    throw new AppError("invalid_request", "This account signs in with single sign-on and has no password to change.");
  }
  await confirmPassword(db, row.email, input.currentPassword, actor.ip, "currentPassword");
  if (input.newPassword === input.currentPassword) {
    throw new AppError("invalid_request", "Please correct the highlighted fields.", {
      fieldErrors: { newPassword: "Choose a new password, not the current one." },
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const [updated] = await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, actor.userId))
    .returning({ sessionVersion: users.sessionVersion });
  if (!updated) throw ended();
  await recordEvent(db, { kind: "account.password_changed", actor, scope: { userId: actor.userId } });
  return updated;
}
