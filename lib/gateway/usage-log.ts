/**
 * Gateway usage rows, written in batches off the response path: one multi-row INSERT a second.
 */
import "server-only";
import { getDb } from "@/db/client";
import { gatewayUsage } from "@/db/schema";
import { createBatcher } from "@/lib/batcher";

export type GatewayUsageRow = typeof gatewayUsage.$inferInsert;

const rows = createBatcher<GatewayUsageRow>({
  name: "gateway usage",
  everyMs: 1_000,
  maxItems: 50_000,
  write: async (items) => {
    const db = await getDb();
    await db.insert(gatewayUsage).values(items);
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
