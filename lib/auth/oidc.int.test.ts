import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, userIdentities, userNotices, users } from "@/db/schema";
import { createTestUser } from "@/test/helpers";
import { findUserByIdentity, linkPendingIdentity, resolveSsoSignIn, type SsoClaims } from "./oidc";

const ISSUER = "https://idp.example.test";
const anyDomain = { allowedDomains: [] };

function claims(overrides: Partial<SsoClaims> = {}): SsoClaims {
  const id = randomUUID().slice(0, 8);
  return {
    issuer: ISSUER,
    subject: `sub-${id}`,
    email: `sso-${id}@example.test`,
    emailVerified: true,
    name: `SSO User ${id}`,
    ...overrides,
  };
}

const identitiesOf = async (userId: string) => (await getDb()).select().from(userIdentities).where(eq(userIdentities.userId, userId));
const usersWithEmail = async (email: string) => (await getDb()).select().from(users).where(eq(users.email, email));

describe("SSO account rules", () => {
  it("refuses an email the provider does not say is verified, and creates nothing", async () => {
    const db = await getDb();
    for (const emailVerified of [false, undefined, "false", 1, "yes"]) {
      const c = claims({ emailVerified });
      expect(await resolveSsoSignIn(db, c, anyDomain)).toEqual({ ok: false, reason: "email_unverified" });
      expect(await usersWithEmail(c.email as string)).toHaveLength(0);
      expect(await findUserByIdentity(db, ISSUER, c.subject)).toBeUndefined();
    }
  });

  it("refuses a sign-in without a usable email", async () => {
    const db = await getDb();
    for (const email of [undefined, "", "not-an-email", 42]) {
      expect(await resolveSsoSignIn(db, claims({ email }), anyDomain)).toEqual({ ok: false, reason: "email_missing" });
    }
  });

  it("creates a verified, password-less account for a new email, linked to the identity; the next sign-in finds it", async () => {
    const db = await getDb();
    const c = claims({ email: "  New.Person@Example.TEST " });
    const first = await resolveSsoSignIn(db, c, anyDomain);
    expect(first).toMatchObject({ ok: true, created: true, user: { email: "new.person@example.test", name: c.name } });
    if (!first.ok) throw new Error("unreachable");
    const [row] = await db.select().from(users).where(eq(users.id, first.user.id));
    expect(row!.passwordHash).toBeNull();
    expect(row!.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await identitiesOf(first.user.id)).toMatchObject([{ issuer: ISSUER, subject: c.subject, email: "new.person@example.test" }]);

    const again = await resolveSsoSignIn(db, c, anyDomain);
    expect(again).toMatchObject({ ok: true, created: false, user: { id: first.user.id } });
  });

  it("names the account after the email when the provider sends no name", async () => {
    const db = await getDb();
    const outcome = await resolveSsoSignIn(db, claims({ email: "nameless@example.test", name: "   " }), anyDomain);
    expect(outcome).toMatchObject({ ok: true, user: { name: "nameless" } });
  });

  it("does not sign in an existing password account by email alone: it asks for the password once", async () => {
    const db = await getDb();
    const owner = await createTestUser(db, "Password Owner");
    const c = claims({ email: owner.email.toUpperCase() });
    const outcome = await resolveSsoSignIn(db, c, anyDomain);
    expect(outcome).toEqual({
      ok: false,
      reason: "link_required",
      pendingLink: { issuer: ISSUER, subject: c.subject, email: owner.email },
    });
    // Nothing linked yet: the same SSO sign-in is refused again.
    expect(await identitiesOf(owner.id)).toHaveLength(0);
    expect(await resolveSsoSignIn(db, c, anyDomain)).toMatchObject({ ok: false, reason: "link_required" });
  });

  it("links a pending identity after that account's password sign-in; SSO then signs it in", async () => {
    const db = await getDb();
    const owner = await createTestUser(db, "Linker");
    const c = claims({ email: owner.email });
    const outcome = await resolveSsoSignIn(db, c, anyDomain);
    if (outcome.ok || outcome.reason !== "link_required") throw new Error("expected link_required");

    expect(await linkPendingIdentity(db, outcome.pendingLink, owner.id, { providerName: "Acme SSO" })).toBe("linked");
    expect(await identitiesOf(owner.id)).toMatchObject([{ issuer: ISSUER, subject: c.subject }]);
    const [row] = await db.select().from(users).where(eq(users.id, owner.id));
    expect(row!.emailVerifiedAt).toBeInstanceOf(Date);
    const notices = await db.select().from(userNotices).where(eq(userNotices.userId, owner.id));
    expect(notices.map((n) => n.message)).toEqual([expect.stringContaining("Acme SSO is now linked to your account")]);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.userId, owner.id));
    expect(events).toMatchObject([{ kind: "account.sso_linked", actorUserId: owner.id, details: { provider: "Acme SSO" } }]);

    expect(await resolveSsoSignIn(db, c, anyDomain)).toMatchObject({ ok: true, created: false, user: { id: owner.id } });
    // Applying the same pending link again changes nothing.
    expect(await linkPendingIdentity(db, outcome.pendingLink, owner.id, { providerName: "Acme SSO" })).toBe("already_linked");
  });

  it("applies a pending link only for the account whose email it names", async () => {
    const db = await getDb();
    const owner = await createTestUser(db, "Owner");
    const other = await createTestUser(db, "Other");
    const c = claims({ email: owner.email });
    const outcome = await resolveSsoSignIn(db, c, anyDomain);
    if (outcome.ok || outcome.reason !== "link_required") throw new Error("expected link_required");

    expect(await linkPendingIdentity(db, outcome.pendingLink, other.id, { providerName: "SSO" })).toBe("refused");
    expect(await identitiesOf(other.id)).toHaveLength(0);
    expect(await identitiesOf(owner.id)).toHaveLength(0);
    expect(await db.select().from(userNotices).where(eq(userNotices.userId, other.id))).toHaveLength(0);
    expect(await resolveSsoSignIn(db, c, anyDomain)).toMatchObject({ ok: false, reason: "link_required" });
  });

  it("never signs in or links account B with an identity linked to account A", async () => {
    const db = await getDb();
    const a = await resolveSsoSignIn(db, claims({ email: "a-person@example.test" }), anyDomain);
    if (!a.ok) throw new Error("expected a new account");
    const [identity] = await identitiesOf(a.user.id);
    const b = await createTestUser(db, "Account B");

    // The provider now reports B's email for A's subject: still A, never B.
    const outcome = await resolveSsoSignIn(db, { ...claims(), subject: identity!.subject, email: b.email }, anyDomain);
    expect(outcome).toMatchObject({ ok: true, user: { id: a.user.id } });

    // A pending link naming A's identity with B's email is refused for B.
    const forged = { issuer: ISSUER, subject: identity!.subject, email: b.email };
    expect(await linkPendingIdentity(db, forged, b.id, { providerName: "SSO" })).toBe("refused");
    expect(await identitiesOf(b.id)).toHaveLength(0);
    expect((await findUserByIdentity(db, ISSUER, identity!.subject))?.id).toBe(a.user.id);
  });

  it("refuses an SSO-only account's email for a different identity (no takeover by a new subject)", async () => {
    const db = await getDb();
    const first = await resolveSsoSignIn(db, claims({ email: "only-sso@example.test" }), anyDomain);
    expect(first.ok).toBe(true);
    const otherSubject = await resolveSsoSignIn(db, claims({ email: "only-sso@example.test" }), anyDomain);
    expect(otherSubject).toEqual({ ok: false, reason: "identity_conflict" });
  });

  it("keeps identities of different issuers apart", async () => {
    const db = await getDb();
    const c = claims();
    const here = await resolveSsoSignIn(db, c, anyDomain);
    if (!here.ok) throw new Error("expected a new account");
    expect(await findUserByIdentity(db, "https://other-idp.example.test", c.subject)).toBeUndefined();
  });

  it("enforces allowed domains on every SSO sign-in, linked identities included", async () => {
    const db = await getDb();
    const policy = { allowedDomains: ["example.test", "acme.test"] };
    expect(await resolveSsoSignIn(db, claims({ email: "x@evil.test" }), policy)).toEqual({ ok: false, reason: "domain_not_allowed" });
    // A subdomain or a look-alike suffix is another domain.
    expect(await resolveSsoSignIn(db, claims({ email: "x@sub.example.test" }), policy)).toMatchObject({ reason: "domain_not_allowed" });
    expect(await resolveSsoSignIn(db, claims({ email: "x@notacme.test" }), policy)).toMatchObject({ reason: "domain_not_allowed" });
    expect(await resolveSsoSignIn(db, claims({ email: "x@ACME.test" }), policy)).toMatchObject({ ok: true, created: true });

    // Linked while any domain was allowed; the list now leaves its domain out.
    const c = claims({ email: "linked@other.test" });
    expect(await resolveSsoSignIn(db, c, anyDomain)).toMatchObject({ ok: true });
    expect(await resolveSsoSignIn(db, c, policy)).toEqual({ ok: false, reason: "domain_not_allowed" });
  });

  it("creates one account when two first sign-ins of the same identity race", async () => {
    const db = await getDb();
    const c = claims();
    const results = await Promise.all([resolveSsoSignIn(db, c, anyDomain), resolveSsoSignIn(db, c, anyDomain)]);
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.user.id : "")));
    expect(ids.size).toBe(1);
    expect(await usersWithEmail(c.email as string)).toHaveLength(1);
  });
});
