/**
 * When someone loses access to org credentials (removed, left, share narrowed), their personal
 * default that pointed at one is cleared at once, in the same transaction, with a notice for
 * their dashboard. Resolution checks access on every request too; this keeps the data honest.
 */
import "server-only";
import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { organizations, providerCredentials, userDefaults, userNotices } from "@/db/schema";
import { getProvider } from "@/lib/providers/catalog";

/** SQL: may `userId` use credential `c` (own, or an org credential shared with them)? */
export function usableBy(userId: SQL | string, c = providerCredentials): SQL {
  // Never NULL (so `not usableBy(…)` is safe under SQL's three-valued logic).
  return sql`(coalesce(${c.ownerUserId} = ${userId}, false) or (${c.ownerOrgId} is not null and exists (
    select 1 from memberships m where m.org_id = ${c.ownerOrgId} and m.user_id = ${userId}
      and (m.role in ('owner', 'admin') or ${c.shareMode} = 'all'
        or exists (select 1 from credential_shares s where s.credential_id = ${c.id} and s.user_id = ${userId})))))`;
}

/** Clears defaults of `userIds` (all users when omitted) that point at `orgId`'s credentials they may no longer use. */
export async function clearLostDefaults(db: Executor, orgId: string, userIds?: string[]): Promise<number> {
  const lost = await db
    .select({ userId: userDefaults.userId, provider: providerCredentials.provider, orgName: organizations.name })
    .from(userDefaults)
    .innerJoin(providerCredentials, eq(providerCredentials.id, userDefaults.credentialId))
    .innerJoin(organizations, eq(organizations.id, providerCredentials.ownerOrgId))
    .where(
      and(
        eq(providerCredentials.ownerOrgId, orgId),
        userIds ? inArray(userDefaults.userId, userIds) : undefined,
        sql`not ${usableBy(sql`${userDefaults.userId}`)}`,
      ),
    );
  if (lost.length === 0) return 0;
  await db.delete(userDefaults).where(inArray(userDefaults.userId, lost.map((l) => l.userId)));
  await db.insert(userNotices).values(
    lost.map((l) => ({
      userId: l.userId,
      message: `Your default model (${getProvider(l.provider)?.name ?? l.provider} from ${l.orgName}) was cleared because you no longer have access to it. Choose a new default below.`,
    })),
  );
  return lost.length;
}

export async function listNotices(db: Executor, userId: string) {
  return db
    .select({ id: userNotices.id, message: userNotices.message, createdAt: userNotices.createdAt })
    .from(userNotices)
    .where(and(eq(userNotices.userId, userId), isNull(userNotices.dismissedAt)))
    .orderBy(userNotices.createdAt);
}

export async function dismissNotice(db: Executor, userId: string, noticeId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(noticeId)) return;
  await db
    .update(userNotices)
    .set({ dismissedAt: new Date() })
    .where(and(eq(userNotices.id, noticeId), eq(userNotices.userId, userId)));
}
