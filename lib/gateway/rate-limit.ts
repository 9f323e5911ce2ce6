/** The gateway's own per-token window (in memory, per instance): agents call it far more often than /config. */
import "server-only";
import { env } from "@/lib/env";
import { WindowCounter } from "@/lib/rate-limits/window-counter";

const perToken = new WindowCounter({ points: env.GATEWAY_TOKEN_RATE_PER_MINUTE, windowMs: 60_000 });

/** Seconds to wait when the token with this hash is over its limit, else 0. */
export function consumeGatewayRequest(tokenHash: string): number {
  return perToken.takeSeconds(tokenHash);
}
