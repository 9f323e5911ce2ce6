/**
 * Per-instance limits for the agent endpoint (rate-limiter-flexible, in memory: no database write
 * per request). Generous per token; tight per client address for failed attempts, which only ever
 * refuses more failures, never a valid token.
 */
import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export const CONFIG_LIMITS = { perTokenPerMinute: 1200, failuresPerIpPerMinute: 60 };

const perToken = new RateLimiterMemory({ keyPrefix: "cfg:token", points: CONFIG_LIMITS.perTokenPerMinute, duration: 60 });
const failuresPerIp = new RateLimiterMemory({ keyPrefix: "cfg:fail", points: CONFIG_LIMITS.failuresPerIpPerMinute, duration: 60 });

/** Seconds to wait when over the limit, else 0. */
async function take(limiter: RateLimiterMemory, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.ceil(rejection.msBeforeNext / 1000) || 1;
    throw rejection;
  }
}

export const consumeTokenRequest = (tokenKey: string) => take(perToken, tokenKey);
/** Counts one failed attempt from this address (a rate-limit key: IPv4, or an IPv6 /64). */
export const consumeFailedAttempt = (addressKey: string) => take(failuresPerIp, addressKey);
