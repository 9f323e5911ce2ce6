/**
 * Redirects only: signed-out visitors of dashboard pages go to /login (and come back after), and
 * signed-in visitors of /login or /signup go to the dashboard. Every page, action and route
 * handler checks the session again; this file is a convenience, not a guard.
 *
 * It only reads the session cookie (never writes one): a cookie refreshed here could race a
 * concurrent response that deletes it, and resurrect a session after "Sign out".
 */
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { authSecret } from "@/lib/auth/secret";
import { isPublicPath } from "@/lib/auth/paths";

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

export async function proxy(request: NextRequest) {
  // Only page navigations need a redirect; server actions and RSC posts check for themselves.
  if (request.method !== "GET" && request.method !== "HEAD") return NextResponse.next();
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
  return NextResponse.next();
}

export const config = {
  // Pages only: API routes answer for themselves (JSON 401s, not redirects), static files need nothing.
  matcher: ["/((?!api/|_next/|favicon\\.ico|icon\\.svg|robots\\.txt|.*\\.(?:png|svg|jpg|ico|woff2?)$).*)"],
};
