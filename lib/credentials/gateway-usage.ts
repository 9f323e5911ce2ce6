/** Gateway usage per credential over the last 24 hours, for the cards: one grouped query per page. */
import "server-only";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { gatewayUsage, providerCredentials } from "@/db/schema";
import { ownedBy, type Owner } from "@/lib/owners";

export type GatewayUsageSummary = { requests: number; tokens: number };

/** Requests and tokens (input + output) through the gateway in the last 24 h, by the owner's credential id. */
export async function gatewayUsageByCredential(db: Executor, owner: Owner): Promise<Map<string, GatewayUsageSummary>> {
  const rows = await db
    .select({
      id: gatewayUsage.credentialId,
      requests: count(),
      tokens: sql<string>`coalesce(sum(coalesce(${gatewayUsage.inputTokens}, 0) + coalesce(${gatewayUsage.outputTokens}, 0)), 0)`,
    })
    .from(gatewayUsage)
    .innerJoin(providerCredentials, eq(providerCredentials.id, gatewayUsage.credentialId))
    .where(and(ownedBy(providerCredentials, owner), gt(gatewayUsage.at, sql`now() - interval '24 hours'`)))
    .groupBy(gatewayUsage.credentialId);
  return new Map(rows.map((r) => [r.id, { requests: Number(r.requests), tokens: Number(r.tokens) }]));
}
