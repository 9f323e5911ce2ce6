/**
 * When someone loses access to org credentials (removed, left, share narrowed), their personal
 * default that pointed at one is cleared at once, in the same transaction, with a notice for
 * their dashboard. Resolution checks access on every request too; this keeps the data honest.
 */
import "server-only";
import { and, eq, getTableName, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { organizations, providerCredentials, userDefaults, userNotices } from "@/db/schema";
import { userMayUseSql } from "@/lib/credentials/access";
import { getProvider } from "@/lib/providers/catalog";

const USER = "\u0000user\u0000";

/**
 * SQL: may `userId` use a credential row of the unaliased provider_credentials table? The text of
 * lib/credentials/access.ts with the user bound as a parameter (or an SQL expression) each time
 * it appears. Never NULL (so `not usableBy(…)` is safe under SQL's three-valued logic).
 */
export function usableBy(userId: SQL | string): SQL {
  const parts = userMayUseSql(`"${getTableName(providerCredentials)}"`, USER).split(USER);
  const user = typeof userId === "string" ? sql`${userId}::uuid` : userId;
  return sql.join(parts.flatMap((text, i) => (i === 0 ? [sql.raw(text)] : [user, sql.raw(text)])));
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
  await db.delete(userDefaults).where(
    inArray(
      userDefaults.userId,
      lost.map((l) => l.userId),
    ),
  );
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
