/**
 * The pending SSO link: when an SSO sign-in finds a password account with the same verified email,
 * the identity (issuer, subject, email) waits in this browser, in an encrypted httpOnly cookie, for
 * 15 minutes. The next password sign-in of that account in this browser links it (lib/auth/oidc.ts).
 * Encrypted with a key derived from AUTH_SECRET under its own salt, so neither a session cookie
 * nor anything a user writes can pass for one.
 */
import "server-only";
import { decode, encode } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import type { PendingLink } from "./oidc";
import { authSecret } from "./secret";

export const PENDING_LINK_COOKIE = "byok.sso-link";
export const PENDING_LINK_MAX_AGE_SECONDS = 15 * 60;
const SALT = "byok.sso-link.v1";

const pendingSchema = z.object({ iss: z.string().min(1), sub: z.string().min(1), email: z.string().min(3) });

/** Encrypts a pending link (expires in `maxAge` seconds). */
export async function sealPendingLink(link: PendingLink, secret: string, maxAge = PENDING_LINK_MAX_AGE_SECONDS): Promise<string> {
  return encode({ token: { iss: link.issuer, sub: link.subject, email: link.email }, secret, salt: SALT, maxAge });
}

/** Decrypts a pending link; null when absent, tampered with, sealed under another secret, or expired. */
export async function openPendingLink(value: string | undefined, secret: string): Promise<PendingLink | null> {
  if (!value) return null;
  try {
    const parsed = pendingSchema.safeParse(await decode({ token: value, secret, salt: SALT }));
    return parsed.success ? { issuer: parsed.data.iss, subject: parsed.data.sub, email: parsed.data.email } : null;
  } catch {
    return null;
  }
}

/** Remembers a pending link in this browser (route handler or server action context). */
export async function setPendingLinkCookie(link: PendingLink): Promise<void> {
  const secure = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(PENDING_LINK_COOKIE, await sealPendingLink(link, authSecret()), {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: PENDING_LINK_MAX_AGE_SECONDS,
  });
}

/** This browser's pending link, if any. */
export async function readPendingLinkCookie(): Promise<PendingLink | null> {
  return openPendingLink((await cookies()).get(PENDING_LINK_COOKIE)?.value, authSecret());
}

export async function clearPendingLinkCookie(): Promise<void> {
  (await cookies()).delete(PENDING_LINK_COOKIE);
}
