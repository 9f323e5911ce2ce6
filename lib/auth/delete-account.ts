/**
 * Deleting an account. Refused while the user is the last owner of an organization (BYOK has no
 * "delete organization" yet, so the way out is to make someone else an owner). Otherwise one
 * transaction:
 *   - revokes the org tokens they created, as removing a member does (lib/orgs/members.ts), and
 *     records in each organization's log that "a deleted user" left;
 *   - anonymizes them in organizations' activity logs: no actor, no address, and detail values
 *     that named them (their email anywhere, their name where an event was about them) become
 *     "a deleted user"; their personal log goes with them;
 *   - keeps organizations' gateway usage without their id, drops their personal usage, their
 *     rate-limit counters and the invitations sent to their address;
 *   - deletes their credentials, tokens, memberships, defaults, shares, notices, sign-ins,
 *     one-time links, SSO identities and the user row.
 */
import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import {
  agentTokens,
  auditEvents,
  credentialShares,
  gatewayUsage,
  invitations,
  memberships,
  organizations,
  providerCredentials,
  rateLimits,
  signIns,
  userDefaults,
  userIdentities,
  userNotices,
  users,
  userTokens,
} from "@/db/schema";
import { eventValues } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { revokeOrgTokensCreatedBy } from "@/lib/tokens/queries";
import type { DeleteAccountInput } from "./account-schemas";
import { confirmPassword } from "./confirm-password";

/** What anonymized activity says instead of a deleted person's name or email. */
export const DELETED_USER = "a deleted user";

/** Organizations in which `userId` is the only owner, by name; with `lock`, their owner rows are locked (FOR UPDATE). */
export async function lastOwnedOrgs(db: Executor, userId: string, lock = false): Promise<{ id: string; name: string }[]> {
  const owned = db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner")));
  const query = db
    .select({ orgId: memberships.orgId, userId: memberships.userId, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.role, "owner"), inArray(memberships.orgId, owned)))
    .orderBy(asc(organizations.name));
  const owners = lock ? await query.for("update", { of: memberships }) : await query;
  const byOrg = new Map<string, { id: string; name: string; others: number }>();
  for (const o of owners) {
    const entry = byOrg.get(o.orgId) ?? { id: o.orgId, name: o.name, others: 0 };
    if (o.userId !== userId) entry.others++;
    byOrg.set(o.orgId, entry);
  }
  return [...byOrg.values()].filter((o) => o.others === 0).map(({ id, name }) => ({ id, name }));
}

const listOf = (names: string[]) => (names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

/** "You are the last owner of Acme. …" */
export function lastOwnerMessage(orgNames: string[]): string {
  const them = orgNames.length === 1 ? "it" : "each of them";
  return `You are the last owner of ${listOf(orgNames)}. Transfer ownership (make another member an owner of ${them}) first.`;
}

async function confirm(db: Database, user: { email: string; passwordHash: string | null }, input: DeleteAccountInput, ip: string | null) {
  if (user.passwordHash !== null) {
    if (!input.password)
      throw new AppError("invalid_request", "Enter your password.", { fieldErrors: { password: "Enter your password." } });
    await confirmPassword(db, user.email, input.password, ip, "password");
    return;
  }
  if ((input.email ?? "").trim().toLowerCase() !== user.email.toLowerCase()) {
    const message = "Type your account's email address exactly.";
    throw new AppError("invalid_request", message, { fieldErrors: { email: message } });
  }
}

/**
 * Deletes the account of `actor.userId` after checking the password (throttled like sign-in), or
 * for an account without one, that `input.email` is its email. Throws AppError: conflict naming the
 * organizations they are the last owner of; invalid_request; rate_limited; unauthorized.
 */
export async function deleteAccount(db: Database, actor: { userId: string; ip: string | null }, input: DeleteAccountInput): Promise<void> {
  const userId = actor.userId;
  const [user] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
  const blocking = await lastOwnedOrgs(db, userId);
  if (blocking.length) throw new AppError("conflict", lastOwnerMessage(blocking.map((o) => o.name)));
  await confirm(db, user, input, actor.ip);

  await db.transaction(async (tx) => {
    const [locked] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId)).for("update");
    if (!locked) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
    // Again under lock: another owner may have left since the first check.
    const stillBlocking = await lastOwnedOrgs(tx, userId, true);
    if (stillBlocking.length) throw new AppError("conflict", lastOwnerMessage(stillBlocking.map((o) => o.name)));
    await anonymizeActivity(tx, userId, locked);

    const orgs = await tx.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId));
    for (const { orgId } of orgs) {
      const tokensRevoked = await revokeOrgTokensCreatedBy(tx, orgId, userId);
      await tx.insert(auditEvents).values(
        eventValues({
          kind: "member.left",
          actor: {},
          scope: { orgId },
          details: { reason: "account_deleted", actorDeleted: true, tokensRevoked },
        }),
      );
    }

    // Organizations keep their usage figures, without the person; personal usage goes.
    await tx.delete(gatewayUsage).where(and(eq(gatewayUsage.userId, userId), isNull(gatewayUsage.orgId)));
    await tx.update(gatewayUsage).set({ userId: null }).where(eq(gatewayUsage.userId, userId));
    // Rate-limit keys are `<prefix>:<email>` or `<prefix>:<user id>`.
    await tx
      .delete(rateLimits)
      .where(
        sql`right(${rateLimits.key}, ${locked.email.length + 1}) = ${`:${locked.email}`} or right(${rateLimits.key}, 37) = ${`:${userId}`}`,
      );
    await tx.delete(invitations).where(sql`lower(${invitations.email}) = ${locked.email.toLowerCase()}`);

    // Most of these cascade from users; deleting them by name keeps this true if a foreign key changes.
    await tx.delete(userDefaults).where(eq(userDefaults.userId, userId));
    await tx.delete(credentialShares).where(eq(credentialShares.userId, userId));
    await tx.delete(providerCredentials).where(eq(providerCredentials.ownerUserId, userId));
    await tx.delete(agentTokens).where(eq(agentTokens.ownerUserId, userId));
    await tx.delete(memberships).where(eq(memberships.userId, userId));
    await tx.delete(userNotices).where(eq(userNotices.userId, userId));
    await tx.delete(signIns).where(eq(signIns.userId, userId));
    await tx.delete(userTokens).where(eq(userTokens.userId, userId));
    await tx.delete(userIdentities).where(eq(userIdentities.userId, userId));
    await tx.delete(users).where(eq(users.id, userId));
  });
}

/** Their personal log goes; organizations' events stay, with nothing left that names them. */
async function anonymizeActivity(tx: Executor, userId: string, who: { email: string }): Promise<void> {
  await tx.delete(auditEvents).where(and(eq(auditEvents.userId, userId), isNull(auditEvents.orgId)));
  await tx.update(auditEvents).set({ userId: null }).where(eq(auditEvents.userId, userId));
  // What they did: no actor, no address; the flag lets the log say "a deleted user", not "System".
  await tx
    .update(auditEvents)
    .set({ actorUserId: null, actorIp: null, details: sql`${auditEvents.details} || '{"actorDeleted": true}'::jsonb` })
    .where(eq(auditEvents.actorUserId, userId));
  // What was done to them (removed, role changed, made owner): the event kept their name at the time.
  await tx
    .update(auditEvents)
    .set({
      targetId: null,
      details: sql`case when ${auditEvents.details} ? 'name' then jsonb_set(${auditEvents.details}, '{name}', to_jsonb(${DELETED_USER}::text)) else ${auditEvents.details} end`,
    })
    .where(and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId)));
  // Their email or id as any detail value (invited, invitation revoked, …).
  const names = sql`(lower(e.value) = ${who.email.toLowerCase()} or e.value = ${userId})`;
  await tx
    .update(auditEvents)
    .set({
      details: sql`(select jsonb_object_agg(e.key, case when jsonb_typeof(d.value) = 'string' and ${names} then to_jsonb(${DELETED_USER}::text) else d.value end)
        from jsonb_each(${auditEvents.details}) d join jsonb_each_text(${auditEvents.details}) e on e.key = d.key)`,
    })
    .where(sql`exists (select 1 from jsonb_each_text(${auditEvents.details}) e where ${names})`);
}
