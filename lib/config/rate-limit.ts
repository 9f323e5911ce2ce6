/**
 * Per-instance limits for the agent endpoint (rate-limiter-flexible, in memory: no database write
 * per request). Generous per token; tight per IP for unauthenticated attempts.
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
export const consumeFailedAttempt = (ip: string) => take(failuresPerIp, ip);

/** Seconds an IP must wait because of earlier failures (without consuming). */
export async function failureBlockFor(ip: string): Promise<number> {
  const res = await failuresPerIp.get(ip);
  return res && res.consumedPoints >= CONFIG_LIMITS.failuresPerIpPerMinute ? Math.ceil(res.msBeforeNext / 1000) || 1 : 0;
}
