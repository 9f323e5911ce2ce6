/** The signed-in user for pages, actions and route handlers, checked against the database. */
import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { getSession } from "./index";
import { clientIp } from "./request-ip";
import { getUserById, type PublicUser } from "./users";

/** The current user, or null when signed out or the account no longer exists. Once per request. */
export const getCurrentUser = cache(async (): Promise<PublicUser | null> => {
  const session = await getSession();
  const id = session?.user?.id;
  if (!id) return null;
  return (await getUserById(await getDb(), id)) ?? null;
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
