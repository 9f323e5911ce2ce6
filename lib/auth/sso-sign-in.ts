/**
 * The Auth.js side of single sign-on: the OpenID Connect provider (only when configured), the
 * signIn step that applies lib/auth/oidc.ts's rules, and the password sign-in step that applies a
 * pending link. Refusals go back to /login with a code the page turns into a message, keeping the
 * page the user wanted to reach.
 */
import "server-only";
import type { Account, Profile } from "next-auth";
import type { OIDCConfig } from "next-auth/providers";
import { cookies, headers } from "next/headers";
import { getDb } from "@/db/client";
import { describeError, log } from "@/lib/log";
import { findUserByIdentity, linkPendingIdentity, resolveSsoSignIn } from "./oidc";
import { safeCallbackPath } from "./paths";
import { clientIp } from "./request-ip";
import { recordSignIn } from "./sign-ins";
import { clearPendingLinkCookie, readPendingLinkCookie, setPendingLinkCookie } from "./sso-link-cookie";
import { ssoRefusalCode } from "./sso-messages";
import { OIDC_PROVIDER_ID, ssoSettings, type SsoSettings } from "./sso-settings";
import type { PublicUser } from "./users";

/**
 * Auth.js's OpenID Connect provider for the configured issuer: authorization code flow with PKCE,
 * state and nonce; the ID token is validated (signature, issuer, audience, nonce), then the
 * claims are read from the userinfo endpoint, whose `sub` must match the ID token's.
 */
export function oidcProvider(sso: SsoSettings): OIDCConfig<Profile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: sso.name,
    type: "oidc",
    issuer: sso.issuerUrl,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    checks: ["pkce", "state", "nonce"],
    // Providers put email claims in the userinfo answer; many leave them out of the ID token.
    idToken: false,
    authorization: { params: { scope: "openid email profile" } },
  };
}

/** Where a refused SSO sign-in lands: /login with the refusal, and the page the user was going to. */
async function loginUrl(code: string): Promise<string> {
  const params = new URLSearchParams({ error: code });
  // Auth.js keeps the sign-in's callbackUrl in this cookie (a full URL on our origin) until the callback.
  const jar = await cookies();
  const saved = jar.get("__Secure-authjs.callback-url")?.value ?? jar.get("authjs.callback-url")?.value;
  if (saved) {
    try {
      const url = new URL(saved);
      const path = safeCallbackPath(`${url.pathname}${url.search}`, "");
      if (path) params.set("callbackUrl", path);
    } catch {
      // not a URL: no callbackUrl
    }
  }
  return `/login?${params}`;
}

function subjectOf(account: Account, profile: Profile | undefined): string | undefined {
  const sub = profile?.sub ?? account.providerAccountId;
  return typeof sub === "string" && sub.length > 0 && sub.length <= 255 ? sub : undefined;
}

/** Auth.js signIn callback for the OIDC provider: true to continue, or a /login URL that refuses. */
export async function ssoSignIn(account: Account, profile: Profile | undefined): Promise<true | string> {
  const sso = ssoSettings();
  const subject = subjectOf(account, profile);
  if (!sso || !subject) return loginUrl("AccessDenied");
  try {
    const db = await getDb();
    const outcome = await resolveSsoSignIn(
      db,
      { issuer: sso.issuer, subject, email: profile?.email, emailVerified: profile?.email_verified, name: profile?.name },
      { allowedDomains: sso.allowedDomains },
    );
    if (!outcome.ok) {
      if (outcome.reason === "link_required") await setPendingLinkCookie(outcome.pendingLink);
      log.info("sso sign-in refused", { reason: outcome.reason });
      return loginUrl(ssoRefusalCode(outcome.reason));
    }
    const requestHeaders = await headers();
    await recordSignIn(db, {
      userId: outcome.user.id,
      method: "sso",
      ip: clientIp(requestHeaders),
      userAgent: requestHeaders.get("user-agent"),
    }).catch((error: unknown) => log.warn("sign-in not recorded", { reason: describeError(error) }));
    if (outcome.created) log.info("account created by sso", { userId: outcome.user.id });
    return true;
  } catch (error) {
    log.error("sso sign-in failed", { reason: describeError(error) });
    return loginUrl("sso_unavailable");
  }
}

/**
 * The account an OIDC sign-in that passed ssoSignIn is for: looked up again by identity, so the
 * session's subject is always our user id, never the provider's `sub`.
 */
export async function ssoAccountUser(account: Account, profile: Profile | undefined): Promise<PublicUser | undefined> {
  const sso = ssoSettings();
  const subject = subjectOf(account, profile);
  if (!sso || !subject) return undefined;
  return findUserByIdentity(await getDb(), sso.issuer, subject);
}

/**
 * After a successful password sign-in: links this browser's pending SSO identity when it is for
 * this account (same email, same issuer), then forgets it. Another account's sign-in leaves it
 * alone. Never fails the sign-in.
 */
export async function applyPendingLink(user: PublicUser): Promise<void> {
  try {
    const pending = await readPendingLinkCookie();
    const sso = ssoSettings();
    if (!pending || !sso) return;
    if (pending.issuer !== sso.issuer || pending.email.toLowerCase() !== user.email.toLowerCase()) return;
    const result = await linkPendingIdentity(await getDb(), pending, user.id, { providerName: sso.name });
    await clearPendingLinkCookie();
    log.info("sso identity link", { userId: user.id, result });
  } catch (error) {
    log.warn("sso identity not linked", { reason: describeError(error) });
  }
}
