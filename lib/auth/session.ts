/** The signed-in user for pages, actions and route handlers, checked against the database. */
import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { getSession } from "./index";
import { clientIp } from "./request-ip";
import { sessionStatus, type SessionStatus } from "./session-check";
import { sessionClaimsFromCookies } from "./session-cookie";
import type { PublicUser } from "./users";

/**
 * Where a page sends a visitor whose cookie is signed but dead (older session version, deleted
 * account): a route handler that deletes the cookie and goes on to /login. Redirecting straight to
 * /login would loop, since the proxy only sees a validly signed cookie and sends it back.
 */
export const SESSION_ENDED_PATH = "/api/session-ended";

/** The current visitor's session, checked against the database (see ./session-check.ts). Once per request. */
export const getSessionStatus = cache(async (): Promise<SessionStatus> => {
  const session = await getSession();
  const db = await getDb();
  const status = await sessionStatus(db, { userId: session?.user?.id, sessionVersion: session?.sessionVersion });
  if (status.kind !== "stale") return status;
  // A password change re-issues this browser's cookie in its server action, and the page is then
  // rendered in the same request; Auth.js reads the request's original Cookie header, Next's
  // cookies() the re-issued one. Decrypting it gives the same check on the new claims.
  const reissued = await sessionClaimsFromCookies();
  return reissued ? sessionStatus(db, reissued) : status;
});

/**
 * The current user, or null when signed out, when the account no longer exists, or when the cookie
 * was issued under an older session version (the user signed out of all devices or changed their
 * password since): a stolen cookie dies on its next request. Once per request.
 */
export const getCurrentUser = cache(async (): Promise<PublicUser | null> => {
  const status = await getSessionStatus();
  return status.kind === "user" ? status.user : null;
});

/** The current user; signed-out visitors are sent to /login, dead cookies to be cleared first. */
export async function requireUser(): Promise<PublicUser> {
  const status = await getSessionStatus();
  if (status.kind === "stale") redirect(SESSION_ENDED_PATH);
  if (status.kind === "none") redirect("/login");
  return status.user;
}

/** The current user for server actions and route handlers: an AppError, not a redirect, when signed out. */
export async function requireActionUser(): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
  return user;
}

/** The signed-in user as the actor of an action, with the client IP for the activity log. */
export async function requireActor(): Promise<PublicUser & { userId: string; ip: string | null }> {
  const user = await requireActionUser();
  const { headers } = await import("next/headers");
  return { ...user, userId: user.id, ip: clientIp(await headers()) };
}
