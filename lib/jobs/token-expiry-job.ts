/**
 * token.expiring alerts: agent tokens that expire within 7 days get one alert for their owner (an
 * organization for org tokens, else the user). The pick is one UPDATE … RETURNING that sets
 * expiry_notified_at, in the transaction that records the alerts, so each token is announced once
 * however many instances run the job. Tokens whose whole lifetime is 7 days or less (made that way
 * on purpose) are not announced.
 */
import "server-only";
import { and, gt, isNull, lte, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { agentTokens } from "@/db/schema";
import { emitAlertIn, type EmittedAlert } from "@/lib/alerts/emit";
import { describeError, log } from "@/lib/log";

export const EXPIRY_NOTICE_DAYS = 7;
const EVERY_MS = 15 * 60_000;

/** Announces the tokens now within 7 days of expiry; returns how many. */
export async function runTokenExpiryJob(db: Database): Promise<number> {
  const emitted: EmittedAlert[] = [];
  await db.transaction(async (tx) => {
    const window = sql`now() + ${EXPIRY_NOTICE_DAYS} * interval '1 day'`;
    const due = await tx
      .update(agentTokens)
      .set({ expiryNotifiedAt: sql`now()` })
      .where(
        and(
          isNull(agentTokens.expiryNotifiedAt),
          isNull(agentTokens.revokedAt),
          gt(agentTokens.expiresAt, sql`now()`),
          lte(agentTokens.expiresAt, window),
          sql`${agentTokens.expiresAt} - ${agentTokens.createdAt} > ${EXPIRY_NOTICE_DAYS} * interval '1 day'`,
        ),
      )
      .returning({
        id: agentTokens.id,
        name: agentTokens.name,
        lastFour: agentTokens.lastFour,
        ownerUserId: agentTokens.ownerUserId,
        ownerOrgId: agentTokens.ownerOrgId,
        expiresAt: agentTokens.expiresAt,
      });
    for (const token of due) {
      emitted.push(
        await emitAlertIn(tx, {
          owner: token.ownerOrgId ? { orgId: token.ownerOrgId } : { userId: token.ownerUserId! },
          event: "token.expiring",
          data: { tokenId: token.id, name: token.name, hint: `byok_…${token.lastFour}`, expiresAt: token.expiresAt!.toISOString() },
        }),
      );
    }
  });
  for (const alert of emitted) alert.afterCommit();
  return emitted.length;
}

const KEY = Symbol.for("byok.alerts.tokenExpiry");

/** Looks for expiring tokens every 15 minutes in this server process (once; unref'd). */
export function startTokenExpiryScheduler(): void {
  const holder = globalThis as unknown as Record<symbol, NodeJS.Timeout | undefined>;
  if (holder[KEY]) return;
  const tick = async () => {
    try {
      const count = await runTokenExpiryJob(await getDb());
      if (count > 0) log.info("token expiry alerts queued", { tokens: count });
    } catch (error) {
      log.warn("token expiry check failed", { reason: describeError(error) });
    }
  };
  holder[KEY] = setInterval(() => void tick(), EVERY_MS);
  holder[KEY].unref();
  setTimeout(() => void tick(), 30_000).unref();
}
