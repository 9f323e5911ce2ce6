/**
 * The Auth.js session cookie, written and cleared by our own code in the two places Auth.js cannot
 * do it for us: a password change re-issues the current browser's cookie under the new session
 * version (every other cookie dies), and a dead cookie is deleted (SESSION_ENDED_PATH). Same names
 * and options as Auth.js (@auth/core defaultCookies): `authjs.session-token`, with the `__Secure-`
 * prefix when the site is served over https, httpOnly, SameSite=Lax, path /; long tokens are split
 * into `.0`, `.1`… chunks, which we delete too.
 */
import "server-only";
import { decode, encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { SESSION_MAX_AGE_SECONDS } from "./config";
import { authSecret } from "./secret";

export const SESSION_COOKIE = "authjs.session-token";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;
const SESSION_COOKIE_PATTERN = /^(?:__Secure-)?authjs\.session-token(?:\.\d+)?$/;

type CookieJar = { getAll(): { name: string; value: string }[] };

/** Every session cookie (and chunk) the browser sent. */
export function sessionCookieNames(jar: CookieJar): string[] {
  return jar
    .getAll()
    .map((c) => c.name)
    .filter((name) => SESSION_COOKIE_PATTERN.test(name));
}

/** Expires every session cookie the browser sent, with the attributes it was set with (a `__Secure-` one needs Secure). */
export function clearSessionCookies(
  incoming: CookieJar,
  outgoing: { set(name: string, value: string, options: Record<string, unknown>): unknown },
): void {
  for (const name of sessionCookieNames(incoming)) {
    outgoing.set(name, "", { path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-"), maxAge: 0 });
  }
}

function cookieNameIn(jar: { has(name: string): boolean }): string {
  return jar.has(SECURE_SESSION_COOKIE) || jar.has(`${SECURE_SESSION_COOKIE}.0`) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The user id and session version in the session cookie as Next's cookies() sees it now (null: none, or not ours). */
export async function sessionClaimsFromCookies(): Promise<{ userId: string; sessionVersion: number | undefined } | null> {
  const jar = await cookies();
  const name = cookieNameIn(jar);
  const value = jar.get(name)?.value ?? chunked(jar, name);
  if (!value) return null;
  try {
    const claims = await decode({ token: value, secret: authSecret(), salt: name });
    return claims?.sub ? { userId: claims.sub, sessionVersion: claims.sv } : null;
  } catch {
    return null;
  }
}

/**
 * In a server action: re-issues this browser's session cookie with `sessionVersion`, keeping its
 * other claims. Only server code that has just set the user's version calls this; nothing a client
 * sends can reach it (the Auth.js jwt callback never takes `sv` from update data).
 */
export async function reissueSessionCookie(sessionVersion: number): Promise<void> {
  const jar = await cookies();
  // The browser uses the secure name when the site runs on https; keep whichever it has.
  const name = cookieNameIn(jar);
  const current = jar.get(name)?.value ?? chunked(jar, name);
  if (!current) return;
  const secret = authSecret();
  const claims = await decode({ token: current, secret, salt: name });
  if (!claims?.sub) return;
  const { iat: _iat, exp: _exp, jti: _jti, ...kept } = claims;
  const value = await encode({ token: { ...kept, sv: sessionVersion }, secret, salt: name, maxAge: SESSION_MAX_AGE_SECONDS });
  for (const old of sessionCookieNames(jar)) if (old !== name) jar.delete(old);
  jar.set(name, value, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: name === SECURE_SESSION_COOKIE,
    expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
  });
}

function chunked(jar: CookieJar, name: string): string | undefined {
  const parts = jar
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`) && /^\d+$/.test(c.name.slice(name.length + 1)))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return parts.length ? parts.map((c) => c.value).join("") : undefined;
}
