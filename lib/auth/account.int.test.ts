/**
 * The account page's domain code against a real database: session versions (sign out everywhere,
 * password change), the throttled password check, and deleting an account (refused for a last
 * owner; otherwise nothing left anywhere that names the person except anonymized org activity).
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { agentTokens, auditEvents, gatewayUsage, memberships, userIdentities, userNotices, users, userTokens } from "@/db/schema";
import { describeEvent } from "@/components/activity/describe-event";
import { loadActivity } from "@/lib/audit/load-activity";
import { changeName, changePassword, deleteAccount, listRecentSignIns, signOutEverywhere } from "@/lib/auth/account";
import { baseAuthConfig } from "@/lib/auth/config";
import { sessionStatus } from "@/lib/auth/session-check";
import { recordSignIn } from "@/lib/auth/sign-ins";
import { SIGN_IN_LIMITS } from "@/lib/auth/throttle";
import { verifyCredentials, type PublicUser } from "@/lib/auth/users";
import { changeMemberRole, transferOwnership } from "@/lib/orgs/members";
import { acceptInvitation, createInvitation } from "@/lib/orgs/invitations";
import { createOrganization } from "@/lib/orgs/organizations";
import { createTokenInScope } from "@/lib/tokens/service";
import { createTestUser } from "@/test/helpers";
import { addMember } from "@/test/orgs";

const PASSWORD = "a long enough password"; // createTestUser's
const actor = (user: PublicUser, ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`) => ({ userId: user.id, ip });
const rowsOf = (result: unknown) =>
  (Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];

/** Every row of every table (all schemas but the system's) whose text contains `needle`, as "table: count". */
async function rowsNaming(db: Database, needle: string): Promise<string[]> {
  const tables = rowsOf(
    await db.execute(sql`select table_schema, table_name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_toast%'`),
  );
  expect(tables.length).toBeGreaterThan(15);
  const hits: string[] = [];
  for (const t of tables) {
    const table = sql.raw(`"${String(t.table_schema)}"."${String(t.table_name)}"`);
    // The whole row as text: a column added later is covered without changing this test.
    const [row] = rowsOf(
      await db.execute(sql`select count(*)::int as n from ${table} r where position(${needle.toLowerCase()} in lower(r::text)) > 0`),
    );
    if (Number(row!.n) > 0) hits.push(`${String(t.table_name)}: ${String(row!.n)}`);
  }
  return hits;
}

describe("session versions", () => {
  it("sign out of all devices makes every cookie issued before refused, and only those", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    expect(await sessionStatus(db, { userId: user.id, sessionVersion: user.sessionVersion })).toMatchObject({ kind: "user" });
    // Cookies from before session versions existed carry none: version 1.
    expect(await sessionStatus(db, { userId: user.id })).toMatchObject({ kind: "user" });
    const next = await signOutEverywhere(db, { userId: user.id, ip: "203.0.113.7" });
    expect(next).toBe(user.sessionVersion + 1);
    expect(await sessionStatus(db, { userId: user.id, sessionVersion: user.sessionVersion })).toEqual({ kind: "stale" });
    expect(await sessionStatus(db, { userId: user.id })).toEqual({ kind: "stale" });
    expect(await sessionStatus(db, { userId: user.id, sessionVersion: next })).toMatchObject({ kind: "user", user: { id: user.id } });
    expect(await sessionStatus(db, { userId: null })).toEqual({ kind: "none" });
    expect(await sessionStatus(db, { userId: randomUUID(), sessionVersion: 1 })).toEqual({ kind: "stale" });
    const events = await db
      .select({ kind: auditEvents.kind, ip: auditEvents.actorIp })
      .from(auditEvents)
      .where(eq(auditEvents.userId, user.id));
    expect(events).toEqual([{ kind: "account.signed_out_everywhere", ip: "203.0.113.7" }]);
  });

  it("a client's session update (POST /api/auth/session) cannot raise the version in its cookie", async () => {
    const callbacks = baseAuthConfig().callbacks!;
    const token = { sub: randomUUID(), sv: 1, name: "A", email: "a@example.test" };
    const forged = { sv: 99, sessionVersion: 99, user: { id: randomUUID(), sessionVersion: 99 } };
    // As @auth/core's session action calls it for a POST: no user, trigger "update", the client's data as `session`.
    type JwtParams = Parameters<NonNullable<typeof callbacks.jwt>>[0];
    type SessionParams = Parameters<NonNullable<typeof callbacks.session>>[0];
    const updated = await callbacks.jwt!({ token: { ...token }, trigger: "update", session: forged } as unknown as JwtParams);
    expect(updated).toMatchObject({ sub: token.sub, sv: 1 });
    const session = await callbacks.session!({ session: { user: {} }, token: updated } as unknown as SessionParams);
    expect(session).toMatchObject({ sessionVersion: 1 });
  });
});

describe("change password", () => {
  it("needs the current password, stores the new one and ends every earlier session", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const wrong = changePassword(db, actor(user), { currentPassword: "not my password", newPassword: "a brand new password" });
    await expect(wrong).rejects.toMatchObject({ code: "invalid_request", fieldErrors: { currentPassword: expect.any(String) } });
    expect((await sessionStatus(db, { userId: user.id, sessionVersion: user.sessionVersion })).kind).toBe("user");

    const same = changePassword(db, actor(user), { currentPassword: PASSWORD, newPassword: PASSWORD });
    await expect(same).rejects.toMatchObject({ fieldErrors: { newPassword: expect.any(String) } });

    const { sessionVersion } = await changePassword(db, actor(user), { currentPassword: PASSWORD, newPassword: "a brand new password" });
    expect(sessionVersion).toBe(user.sessionVersion + 1);
    expect(await sessionStatus(db, { userId: user.id, sessionVersion: user.sessionVersion })).toEqual({ kind: "stale" });
    expect((await sessionStatus(db, { userId: user.id, sessionVersion })).kind).toBe("user");
    expect(await verifyCredentials(db, { email: user.email, password: PASSWORD })).toBeNull();
    expect(await verifyCredentials(db, { email: user.email, password: "a brand new password" })).toMatchObject({ id: user.id });
  });

  it("is throttled like sign-in: after the limit even the right password is refused", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) {
      await expect(
        changePassword(db, actor(user), { currentPassword: `guess number ${i}`, newPassword: "a brand new password" }),
      ).rejects.toMatchObject({ code: "invalid_request" });
    }
    const right = changePassword(db, actor(user), { currentPassword: PASSWORD, newPassword: "a brand new password" });
    await expect(right).rejects.toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
    expect(await verifyCredentials(db, { email: user.email, password: PASSWORD })).toMatchObject({ id: user.id });
    // The budget is the sign-in one: signing in is paused for this email too.
    const { attemptSignIn } = await import("@/lib/auth/sign-in");
    expect(await attemptSignIn(db, { email: user.email, password: PASSWORD }, "198.51.100.7")).toMatchObject({ reason: "rate_limited" });
  });

  it("an account without a password (SSO only) has none to change", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    await db.update(users).set({ passwordHash: null }).where(eq(users.id, user.id));
    await expect(changePassword(db, actor(user), { currentPassword: PASSWORD, newPassword: "a brand new password" })).rejects.toMatchObject(
      {
        code: "invalid_request",
        message: expect.stringMatching(/single sign-on/),
      },
    );
  });

  it("changes the name; lists recent sign-ins newest first with a readable browser", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    expect(await changeName(db, user.id, { name: "Grace Hopper" })).toEqual({ name: "Grace Hopper" });
    const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    for (let i = 0; i < 12; i++)
      await recordSignIn(db, { userId: user.id, method: i % 2 ? "sso" : "password", ip: `192.0.2.${i}`, userAgent: ua });
    const list = await listRecentSignIns(db, user.id);
    expect(list).toHaveLength(10);
    expect(list[0]).toMatchObject({ browser: "Chrome on Linux", ip: "192.0.2.11", method: "sso" });
    expect(list.map((s) => s.at)).toEqual([...list.map((s) => s.at)].sort().reverse());
  });
});

describe("delete account", () => {
  it("is refused while the user is an organization's last owner, naming it", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const other = await createTestUser(db);
    const solo = await createOrganization(db, actor(user), { name: `Acme Solo ${randomUUID().slice(0, 6)}` });
    const shared = await createOrganization(db, actor(user), { name: `Beta Shared ${randomUUID().slice(0, 6)}` });
    await addMember(db, shared.id, other, "owner");
    const attempt = deleteAccount(db, actor(user), { password: PASSWORD });
    await expect(attempt).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining(`last owner of ${solo.name}.`) });
    await expect(attempt).rejects.toMatchObject({ message: expect.not.stringContaining(shared.name) });
    expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(1);
  });

  it("refuses a wrong password, and an SSO-only account confirms with its email", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    await expect(deleteAccount(db, actor(user), { password: "not my password" })).rejects.toMatchObject({
      fieldErrors: { password: expect.any(String) },
    });
    await expect(deleteAccount(db, actor(user), {})).rejects.toMatchObject({ fieldErrors: { password: expect.any(String) } });
    await db.update(users).set({ passwordHash: null }).where(eq(users.id, user.id));
    await expect(deleteAccount(db, actor(user), { email: "someone@else.test" })).rejects.toMatchObject({
      fieldErrors: { email: expect.any(String) },
    });
    await deleteAccount(db, actor(user), { email: ` ${user.email.toUpperCase()} ` });
    expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
  });

  it("leaves no row that names the user; org activity stays, as “a deleted user”; their org tokens are revoked", async () => {
    const db = await getDb();
    const owner = await createTestUser(db, "Owner");
    const victim = await createTestUser(db, "Victim");
    const acme = await createOrganization(db, actor(owner), { name: `Acme ${randomUUID().slice(0, 6)}` });
    // Invited by email, joins, becomes admin and makes an org token: events that name them, one way or another.
    const { link } = await createInvitation(db, actor(owner), acme.slug, { email: victim.email, role: "member" }, "http://localhost");
    await acceptInvitation(db, { ...actor(victim), email: victim.email }, link.split("/").at(-1)!);
    await changeMemberRole(db, actor(owner), acme.slug, victim.id, "admin");
    const { view: orgToken } = await createTokenInScope(
      db,
      actor(victim),
      { kind: "org", slug: acme.slug },
      { name: "victim-ci", expiresInDays: "90" },
    );
    await createTokenInScope(db, actor(victim), { kind: "user" }, { name: "personal-ci", expiresInDays: "never" });
    // Their own organization, handed over to the owner: no longer its last owner.
    const own = await createOrganization(db, actor(victim), { name: `Victim Org ${randomUUID().slice(0, 6)}` });
    await addMember(db, own.id, owner, "member");
    await transferOwnership(db, actor(victim), own.slug, owner.id);
    // Rows of every other kind that carry their id or email.
    await recordSignIn(db, { userId: victim.id, method: "password", ip: "192.0.2.1", userAgent: "curl/8" });
    await db.insert(userNotices).values({ userId: victim.id, message: "hello" });
    await db.insert(userTokens).values({
      userId: victim.id,
      purpose: "verify_email",
      tokenHash: randomUUID(),
      email: victim.email,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await db
      .insert(userIdentities)
      .values({ issuer: "https://idp.example", subject: randomUUID(), userId: victim.id, email: victim.email });
    const usage = {
      at: new Date(),
      tokenId: randomUUID(),
      credentialId: randomUUID(),
      provider: "openai",
      path: "/chat/completions",
      status: 200,
      durationMs: 5,
    };
    await db.insert(gatewayUsage).values([
      { ...usage, userId: victim.id, orgId: null },
      { ...usage, userId: victim.id, orgId: acme.id },
    ]);
    // A wrong password first: refused, and it leaves a sign-in throttle counter keyed by their email.
    await expect(deleteAccount(db, actor(victim), { password: "not my password" })).rejects.toMatchObject({ code: "invalid_request" });
    expect(await rowsNaming(db, victim.email)).not.toEqual([]);

    await deleteAccount(db, actor(victim), { password: PASSWORD });

    for (const needle of [victim.id, victim.email, victim.name]) expect(await rowsNaming(db, needle), needle).toEqual([]);
    // The organization's log keeps every event, anonymized.
    const acmeEvents = await db.select().from(auditEvents).where(eq(auditEvents.orgId, acme.id));
    expect(acmeEvents.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["member.invited", "member.joined", "member.role_changed", "token.created", "member.left"]),
    );
    const left = acmeEvents.find((e) => e.kind === "member.left")!;
    expect(left.details).toMatchObject({ reason: "account_deleted", tokensRevoked: 1 });
    const [token] = await db.select().from(agentTokens).where(eq(agentTokens.id, orgToken.id));
    expect(token).toMatchObject({ createdByUserId: null, revokedAt: expect.any(Date) });
    expect(await db.select().from(memberships).where(eq(memberships.orgId, acme.id))).toHaveLength(1);
    expect(
      await db
        .select()
        .from(gatewayUsage)
        .where(and(eq(gatewayUsage.orgId, acme.id))),
    ).toHaveLength(1);

    // …and the activity page says "a deleted user", never "System".
    const activity = await loadActivity(db, { orgId: acme.id }, "");
    const lines = activity.initialPage.events.map((e) => {
      const d = describeEvent(e, activity.names);
      return `${d.actor} ${d.action}`;
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^A deleted user deleted their account and left the organization \(1 org token revoked\)$/),
        expect.stringMatching(/^A deleted user joined as member$/),
        expect.stringMatching(/^A deleted user created token “victim-ci”/),
        expect.stringMatching(/invited a deleted user as member$/),
        expect.stringMatching(/changed a deleted user’s role from member to admin$/),
      ]),
    );
    expect(lines.join("\n")).not.toMatch(/System/);
  });
});
