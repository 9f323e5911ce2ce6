/** Pages anyone may open without signing in. */
const PUBLIC_PATHS = new Set(["/login", "/signup", "/forgot-password"]);
// An invitation page explains itself to signed-out visitors and links to sign-in / sign-up; links
// from emails (reset a password, verify an address) work signed out too, and so does the API
// reference (an agent's author reads it before they have an account).
const PUBLIC_PREFIXES = ["/invite/", "/reset-password/", "/verify-email/", "/docs/"];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.has(pathname) || PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/**
 * The page to return to after signing in: a same-origin path only (no `//host`, no scheme, no
 * backslash tricks), and never the auth pages themselves.
 */
export function safeCallbackPath(value: unknown, fallback = "/agent/models"): string {
  if (typeof value !== "string" || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || /[\u0000-\u001f]/.test(value)) {
    return fallback;
  }
  const path = value.split("?")[0] ?? "";
  if (path === "/login" || path === "/signup") return fallback;
  return value;
}
