/** The gateway's own per-token bucket (in memory, per instance): agents call it far more often than /config. */
import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";

const perToken = new RateLimiterMemory({ keyPrefix: "gw:token", points: env.GATEWAY_TOKEN_RATE_PER_MINUTE, duration: 60 });

/** Seconds to wait when this token is over its limit, else 0. */
export async function consumeGatewayRequest(tokenKey: string): Promise<number> {
  try {
    await perToken.consume(tokenKey);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.ceil(rejection.msBeforeNext / 1000) || 1;
    throw rejection;
  }
}
