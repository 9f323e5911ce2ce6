/**
 * Single sign-on settings from the environment: whether OpenID Connect is configured, the button's
 * name, the allowed email domains. No database and no Node-only module, so the proxy's
 * Content-Security-Policy can name the identity provider too.
 */
import { env } from "@/lib/env";
import { ConfigError } from "@/lib/errors";

/** The Auth.js provider id: the callback is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";

export type SsoSettings = {
  /** The issuer exactly as configured: Auth.js compares it with the discovery document's. */
  issuerUrl: string;
  /** The issuer normalized (see normalizeIssuer): the key identities are stored under. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown as "Sign in with <name>". */
  name: string;
  /** Lower-case email domains allowed to sign in with SSO; empty: any. */
  allowedDomains: string[];
};

/** One spelling per issuer: the URL's href without a trailing slash ("https://idp/" and "https://idp" are one). */
export function normalizeIssuer(issuer: string): string {
  return new URL(issuer).href.replace(/\/$/, "");
}

const SSO_VARIABLES = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;

/** Start-up check: the three OIDC variables come together, or not at all. */
export function checkSsoConfiguration(source: Partial<Record<(typeof SSO_VARIABLES)[number], string>> = env): void {
  const set = SSO_VARIABLES.filter((name) => source[name]);
  if (set.length === 0 || set.length === SSO_VARIABLES.length) return;
  const missing = SSO_VARIABLES.filter((name) => !source[name]);
  throw new ConfigError(
    `${set.join(" and ")} ${set.length === 1 ? "is" : "are"} set but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not: ` +
      "single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together (or none of them)",
  );
}

/** The SSO settings, or null when single sign-on is not configured. */
export function ssoSettings(): SsoSettings | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return null;
  return {
    issuerUrl: env.OIDC_ISSUER,
    issuer: normalizeIssuer(env.OIDC_ISSUER),
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    name: env.OIDC_NAME,
    allowedDomains: env.OIDC_ALLOWED_DOMAINS,
  };
}

/** Whether `email`'s domain is one of `domains` (exact match, any letter case); every domain when the list is empty. */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  const at = email.lastIndexOf("@");
  if (at < 1) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return domains.includes(domain);
}
