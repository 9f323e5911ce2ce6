/**
 * The one rule that ends sessions: a cookie counts only while the account exists and the session
 * version it carries equals the user's current one. Kept apart from Auth.js so tests call it directly.
 */
import "server-only";
import type { Executor } from "@/db/client";
import { getUserById, type PublicUser } from "./users";

/** What a session cookie's claims say about the visitor: signed out, a dead cookie, or a user. */
export type SessionStatus = { kind: "none" } | { kind: "stale" } | { kind: "user"; user: PublicUser };

/**
 * `userId` and `sessionVersion` come from the signed cookie (JWT `sub` and `sv`; cookies from before
 * session versions existed count as version 1). A cookie for a deleted account, or one issued under
 * an older version ("Sign out of all devices", a password change), is stale.
 */
export async function sessionStatus(
  db: Executor,
  claims: { userId?: string | null; sessionVersion?: number | null },
): Promise<SessionStatus> {
  if (!claims.userId) return { kind: "none" };
  const user = await getUserById(db, claims.userId);
  if (!user || user.sessionVersion !== (claims.sessionVersion ?? 1)) return { kind: "stale" };
  return { kind: "user", user };
}
