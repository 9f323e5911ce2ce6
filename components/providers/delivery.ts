/** What agents receive for a credential, in the card's words; and the card's gateway usage line. Pure. */
export type Delivery = "key" | "gateway";

export const DELIVERY_LABELS: Record<Delivery, string> = {
  key: "The key",
  gateway: "Gateway only (the key never leaves BYOK)",
};

/** Requests and tokens (input + output) through the gateway over the last 24 hours. */
export type { GatewayUsageSummary } from "@/lib/credentials/gateway-usage";
import type { GatewayUsageSummary } from "@/lib/credentials/gateway-usage";

/** 950 → "950", 12_345 → "12.3k", 2_000_000 → "2M". */
export function formatCount(n: number): string {
  const short = (value: number, unit: string) => `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))}${unit}`;
  if (n < 1000) return String(n);
  if (n < 999_500) return short(n / 1000, "k");
  if (n < 999_500_000) return short(n / 1_000_000, "M");
  return short(n / 1_000_000_000, "B");
}

/** "Gateway: 3 requests · 12.3k tokens (24 h)". */
export function usageLine(usage: GatewayUsageSummary): string {
  const requests = `${formatCount(usage.requests)} request${usage.requests === 1 ? "" : "s"}`;
  return `Gateway: ${requests} · ${formatCount(usage.tokens)} token${usage.tokens === 1 ? "" : "s"} (24 h)`;
}
