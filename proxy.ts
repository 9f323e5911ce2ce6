/**
 * Redirects only: signed-out visitors of dashboard pages go to /login (and come back after), and
 * signed-in visitors of /login or /signup go to the dashboard. Every page, action and route
 * handler checks the session again; this file is a convenience, not a guard. It also gives every
 * page its Content-Security-Policy with a fresh nonce (Next reads it from the request header and
 * puts it on its own scripts; the root layout passes it to the theme script).
 *
 * It only reads the session cookie (never writes one): a cookie refreshed here could race a
 * concurrent response that deletes it, and resurrect a session after "Sign out".
 */
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { authSecret } from "@/lib/auth/secret";
import { isPublicPath } from "@/lib/auth/paths";
import { contentSecurityPolicy, createNonce, NONCE_HEADER } from "@/lib/csp";
import { isProduction } from "@/lib/env";

const SECURE_COOKIE = "__Secure-authjs.session-token";

async function isSignedIn(request: NextRequest): Promise<boolean> {
  try {
    const token = await getToken({
      req: request,
      secret: authSecret(),
      secureCookie: request.cookies.has(SECURE_COOKIE),
    });
    return Boolean(token?.sub);
  } catch {
    return false;
  }
}

/** Passes the request on with a fresh nonce, and the policy on both the request (for Next) and the response. */
function withPolicy(request: NextRequest): NextResponse {
  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce, !isProduction);
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export async function proxy(request: NextRequest) {
  // Only page navigations need a redirect; server actions and RSC posts check for themselves.
  if (request.method !== "GET" && request.method !== "HEAD") return withPolicy(request);
  const { pathname, search } = request.nextUrl;
  const signedIn = await isSignedIn(request);
  if (!signedIn && !isPublicPath(pathname)) {
    const url = new URL("/login", request.nextUrl);
    if (pathname !== "/") url.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(url);
  }
  if (signedIn && (pathname === "/login" || pathname === "/signup")) {
    return NextResponse.redirect(new URL("/agent/models", request.nextUrl));
  }
  return withPolicy(request);
}

export const config = {
  // Pages only: API routes answer for themselves (JSON 401s, not redirects), static files need nothing.
  matcher: ["/((?!api/|_next/|favicon\\.ico|icon\\.svg|robots\\.txt|.*\\.(?:png|svg|jpg|ico|woff2?)$).*)"],
};
