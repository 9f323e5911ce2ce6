/**
 * Per-instance limits for the agent endpoint (rate-limiter-flexible, in memory: no database write
 * per request). Generous per token; tight per client address for failed attempts, which only ever
 * refuses more failures, never a valid token.
 */
import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimitKeyFor } from "@/lib/client-address/compute";
import { jsonError } from "@/lib/http";

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

/**
 * The answer to a failed attempt (missing, malformed, unknown, revoked or expired token) on an agent
 * endpoint: 401, or 429 once this address is over its failure limit. Only failures are refused for
 * the address's failures: a valid token is served from a blocked address (agents behind one NAT keep
 * working when one of them is misconfigured), and counts against its own per-token limit only.
 */
export async function answerFailedAttempt(ip: string | null): Promise<Response> {
  const blocked = await consumeFailedAttempt(rateLimitKeyFor(ip));
  if (blocked > 0) return jsonError("rate_limited", "Too many failed requests from this address. Retry later.", blocked);
  return jsonError("unauthorized", "Missing, invalid, expired or revoked agent token.");
}
