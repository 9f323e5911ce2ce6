/**
 * Who a single sign-on is: the account rules, database first, independent of Auth.js.
 *
 * - The email is trusted only when the identity provider says `email_verified: true`, and its
 *   domain must be allowed (OIDC_ALLOWED_DOMAINS) on every SSO sign-in, linked or not.
 * - An identity (issuer, subject) already linked signs in its user, whatever the email says now.
 * - Else a new email creates an account (no password, email verified now) linked to the identity.
 * - Else an existing account with that email is never signed in by SSO alone: the caller keeps a
 *   pending link, and linkPendingIdentity applies it after that account's password sign-in.
 */
import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { userIdentities, userNotices, users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { isUniqueViolation } from "@/lib/db-errors";
import { emailSchema } from "./schemas";
import { emailDomainAllowed } from "./sso-settings";
import { findUserByEmail, getUserById, publicColumns, type PublicUser } from "./users";

/** What the identity provider said, as received (claims are untyped JSON). */
export type SsoClaims = { issuer: string; subject: string; email: unknown; emailVerified: unknown; name: unknown };

/** An identity waiting for its account's password sign-in before it is linked. */
export type PendingLink = { issuer: string; subject: string; email: string };

export type SsoRefusal = "email_missing" | "email_unverified" | "domain_not_allowed" | "link_required" | "identity_conflict";

export type SsoOutcome =
  | { ok: true; user: PublicUser; created: boolean }
  | { ok: false; reason: Exclude<SsoRefusal, "link_required"> }
  | { ok: false; reason: "link_required"; pendingLink: PendingLink };

export type SsoPolicy = { allowedDomains: readonly string[] };

/**
 * `email_verified` as providers send it: a JSON boolean, or (AWS Cognito, some SAML bridges) the
 * string "true". Anything else — absent, false, "false", 1 — is not verified.
 */
export function isVerifiedClaim(value: unknown): boolean {
  return value === true || value === "true";
}

function displayName(name: unknown, email: string): string {
  const parsed = z.string().trim().min(1).safeParse(name);
  const value = parsed.success ? parsed.data : email.slice(0, email.indexOf("@"));
  return value.slice(0, 100);
}

/** The user an identity is linked to, if any. */
export async function findUserByIdentity(db: Executor, issuer: string, subject: string): Promise<PublicUser | undefined> {
  const [row] = await db
    .select(publicColumns)
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(and(eq(userIdentities.issuer, issuer), eq(userIdentities.subject, subject)))
    .limit(1);
  return row;
}

async function resolveOnce(db: Database, claims: SsoClaims, policy: SsoPolicy): Promise<SsoOutcome> {
  const email = emailSchema.safeParse(claims.email);
  if (!email.success) return { ok: false, reason: "email_missing" };
  if (!isVerifiedClaim(claims.emailVerified)) return { ok: false, reason: "email_unverified" };
  if (!emailDomainAllowed(email.data, policy.allowedDomains)) return { ok: false, reason: "domain_not_allowed" };

  const linked = await findUserByIdentity(db, claims.issuer, claims.subject);
  if (linked) {
    await db
      .update(userIdentities)
      .set({ email: email.data })
      .where(and(eq(userIdentities.issuer, claims.issuer), eq(userIdentities.subject, claims.subject)));
    return { ok: true, user: linked, created: false };
  }

  const existing = await findUserByEmail(db, email.data);
  if (existing) {
    // An account that has a password proves it once before SSO may sign it in. One without a
    // password already belongs to another SSO identity: linking it here would hand it over.
    if (existing.passwordHash === null) {
      // A first sign-in of this very identity may have committed between the two looks above.
      const racedIn = await findUserByIdentity(db, claims.issuer, claims.subject);
      return racedIn ? { ok: true, user: racedIn, created: false } : { ok: false, reason: "identity_conflict" };
    }
    return { ok: false, reason: "link_required", pendingLink: { issuer: claims.issuer, subject: claims.subject, email: email.data } };
  }

  const user = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ name: displayName(claims.name, email.data), email: email.data, passwordHash: null, emailVerifiedAt: new Date() })
      .returning(publicColumns);
    await tx.insert(userIdentities).values({ issuer: claims.issuer, subject: claims.subject, userId: row!.id, email: email.data });
    return row!;
  });
  return { ok: true, user, created: true };
}

/**
 * Applies the rules above to one SSO sign-in. Two first sign-ins racing for the same identity or
 * email create one account: the loser sees the winner's rows on its second look.
 */
export async function resolveSsoSignIn(db: Database, claims: SsoClaims, policy: SsoPolicy): Promise<SsoOutcome> {
  try {
    return await resolveOnce(db, claims, policy);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return resolveOnce(db, claims, policy);
  }
}

export type LinkResult = "linked" | "already_linked" | "refused";

/**
 * Links a pending identity to `user`, who has just signed in with their password. Only when the
 * pending email is this account's email, and only when the identity is not another account's.
 * The account's email counts as verified from then on (the provider vouched for it), and the user
 * gets a notice on their dashboard saying SSO is linked.
 */
export async function linkPendingIdentity(
  db: Database,
  pending: PendingLink,
  userId: string,
  options: { providerName: string },
): Promise<LinkResult> {
  return db.transaction(async (tx) => {
    const user = await getUserById(tx, userId);
    if (!user || user.email.toLowerCase() !== pending.email.toLowerCase()) return "refused";
    const owner = await findUserByIdentity(tx, pending.issuer, pending.subject);
    if (owner) return owner.id === user.id ? "already_linked" : "refused";
    const inserted = await tx
      .insert(userIdentities)
      .values({ issuer: pending.issuer, subject: pending.subject, userId: user.id, email: pending.email })
      .onConflictDoNothing()
      .returning({ userId: userIdentities.userId });
    if (inserted.length === 0) return "refused";
    await tx
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(and(eq(users.id, user.id), isNull(users.emailVerifiedAt)));
    await tx.insert(userNotices).values({
      userId: user.id,
      message: `${options.providerName} is now linked to your account: from now on you can sign in with ${options.providerName} or with your password.`,
    });
    await recordEvent(tx, {
      kind: "account.sso_linked",
      actor: { userId: user.id },
      scope: { userId: user.id },
      details: { provider: options.providerName },
    });
    return "linked";
  });
}
