/**
 * The Content-Security-Policy of every page: scripts only from BYOK itself and only with this
 * response's nonce ('strict-dynamic' lets Next's own chunks load what they import), no plugins, no
 * framing, no foreign form targets. Styles allow inline attributes (Radix positions popovers with
 * them); a nonce there would disable 'unsafe-inline', so styles carry none. With single sign-on,
 * the identity provider's origin is a form target too: starting SSO is a form POST answered by a
 * redirect to the provider, and Chromium applies form-action to such redirects. Edge-safe.
 */
import { ssoSettings } from "@/lib/auth/sso-settings";

export const NONCE_HEADER = "x-nonce";

/** A fresh, unguessable nonce (128 random bits, base64). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Origins forms may post to besides BYOK: the SSO identity provider's, when configured. */
export function externalFormTargets(): string[] {
  const sso = ssoSettings();
  return sso ? [new URL(sso.issuerUrl).origin] : [];
}

/** The policy for one response. `dev` adds what `next dev` needs (eval for fast refresh). */
export function contentSecurityPolicy(nonce: string, dev = false, formTargets: readonly string[] = externalFormTargets()): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'", ...formTargets],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}
