/**
 * Gateway usage rows, written in batches off the response path: one multi-row INSERT a second, which
 * also keeps the usage_daily rollup up to date.
 */
import "server-only";
import { preparedQuery } from "@/db/client";
import type { gatewayUsage } from "@/db/schema";
import { createBatcher } from "@/lib/batcher";

export type GatewayUsageRow = typeof gatewayUsage.$inferInsert;

/**
 * One statement per flush: the rows go into gateway_usage, and the same rows, grouped per UTC day,
 * token, credential and model, are added to the usage_daily rollup the usage pages read. One
 * statement, so the rollup never misses or double-counts a batch (a failed flush writes neither).
 */
const INSERT_SQL = `
with inserted as (
  insert into gateway_usage (at, token_id, user_id, org_id, credential_id, provider, model, path, status,
    ttfb_ms, duration_ms, streamed, input_tokens, output_tokens)
  select v."at", v."tokenId", v."userId", v."orgId", v."credentialId", v.provider, v.model, v.path, v.status,
    v."ttfbMs", v."durationMs", coalesce(v.streamed, false), v."inputTokens", v."outputTokens"
  from jsonb_to_recordset($1::jsonb) as v("at" timestamptz, "tokenId" uuid, "userId" uuid, "orgId" uuid,
    "credentialId" uuid, provider text, model text, path text, status int, "ttfbMs" int, "durationMs" int,
    streamed boolean, "inputTokens" int, "outputTokens" int)
  returning at, token_id, user_id, org_id, credential_id, provider, model, status, input_tokens, output_tokens
)
insert into usage_daily as d (day, token_id, credential_id, model, org_id, user_id, provider,
  requests, errors, input_tokens, output_tokens)
select (i.at at time zone 'UTC')::date, i.token_id, i.credential_id, coalesce(i.model, ''),
  max(i.org_id::text)::uuid, max(i.user_id::text)::uuid, max(i.provider),
  count(*), count(*) filter (where i.status >= 400), coalesce(sum(i.input_tokens), 0), coalesce(sum(i.output_tokens), 0)
from inserted i
group by 1, 2, 3, 4
on conflict (day, token_id, credential_id, model) do update set
  requests = d.requests + excluded.requests,
  errors = d.errors + excluded.errors,
  input_tokens = d.input_tokens + excluded.input_tokens,
  output_tokens = d.output_tokens + excluded.output_tokens`;

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
