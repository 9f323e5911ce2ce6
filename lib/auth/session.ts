/** The signed-in user for pages, actions and route handlers, checked against the database. */
import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { getSession } from "./index";
import { clientIp } from "./request-ip";
import { getUserById, type PublicUser } from "./users";

/**
 * The current user, or null when signed out, when the account no longer exists, or when the cookie
 * was issued under an older session version (the user signed out of all devices or changed their
 * password since): a stolen cookie dies on its next request. Once per request.
 */
export const getCurrentUser = cache(async (): Promise<PublicUser | null> => {
  const session = await getSession();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getUserById(await getDb(), id);
  if (!user || user.sessionVersion !== (session.sessionVersion ?? 1)) return null;
  return user;
});

/** The current user; signed-out visitors are sent to /login. */
export async function requireUser(): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
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
