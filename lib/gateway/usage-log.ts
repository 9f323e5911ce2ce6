/**
 * Gateway usage rows, written in batches off the response path: one multi-row INSERT a second.
 */
import "server-only";
import { preparedQuery } from "@/db/client";
import type { gatewayUsage } from "@/db/schema";
import { createBatcher } from "@/lib/batcher";

export type GatewayUsageRow = typeof gatewayUsage.$inferInsert;

const INSERT_SQL = `
insert into gateway_usage (at, token_id, user_id, org_id, credential_id, provider, model, path, status,
  ttfb_ms, duration_ms, streamed, input_tokens, output_tokens)
select v."at", v."tokenId", v."userId", v."orgId", v."credentialId", v.provider, v.model, v.path, v.status,
  v."ttfbMs", v."durationMs", coalesce(v.streamed, false), v."inputTokens", v."outputTokens"
from jsonb_to_recordset($1::jsonb) as v("at" timestamptz, "tokenId" uuid, "userId" uuid, "orgId" uuid,
  "credentialId" uuid, provider text, model text, path text, status int, "ttfbMs" int, "durationMs" int,
  streamed boolean, "inputTokens" int, "outputTokens" int)`;

const rows = createBatcher<GatewayUsageRow>({
  name: "gateway usage",
  everyMs: 1_000,
  maxItems: 50_000,
  // One JSON parameter expanded by the database: no per-row query building on a busy instance.
  write: async (items) => {
    await preparedQuery(INSERT_SQL, [JSON.stringify(items)]);
  },
});

/** Queues one request's usage row. */
export function noteGatewayUsage(row: GatewayUsageRow): void {
  rows.add(row);
}

/** Writes the queued rows now (tests, shutdown). */
export function flushGatewayUsage(): Promise<void> {
  return rows.flush();
}
