/**
 * Per-instance limits for the agent endpoints, in memory (no database write per request) and
 * synchronous (a resolution-cache hit answers without a promise: lib/rate-limits/window-counter.ts).
 * Generous per token; tight per client address for failed attempts, which only ever refuses more
 * failures, never a valid token.
 */
import "server-only";
import { rateLimitKeyFor } from "@/lib/client-address/compute";
import { jsonError } from "@/lib/http";
import { WindowCounter } from "@/lib/rate-limits/window-counter";

export const CONFIG_LIMITS = { perTokenPerMinute: 1200, failuresPerIpPerMinute: 60 };

const perToken = new WindowCounter({ points: CONFIG_LIMITS.perTokenPerMinute, windowMs: 60_000 });
const failuresPerIp = new WindowCounter({ points: CONFIG_LIMITS.failuresPerIpPerMinute, windowMs: 60_000 });

/**
 * Counts one request for a token, keyed by its hash (lib/tokens/token-format.ts `hashToken`): a key
 * kept for a whole window must not be the token or any part of it. Seconds to wait when over the
 * limit, else 0. `now`: the request's clock reading, when the caller has one.
 */
export const consumeTokenRequest = (tokenHash: string, now = Date.now()): number => perToken.takeSeconds(tokenHash, now);
/** Counts one failed attempt from this address (a rate-limit key: IPv4, or an IPv6 /64): seconds to wait when over, else 0. */
export const consumeFailedAttempt = (addressKey: string): number => failuresPerIp.takeSeconds(addressKey);

/**
 * The answer to a failed attempt (missing, malformed, unknown, revoked or expired token) on an agent
 * endpoint: 401, or 429 once this address is over its failure limit. Only failures are refused for
 * the address's failures: a valid token is served from a blocked address (agents behind one NAT keep
 * working when one of them is misconfigured), and counts against its own per-token limit only.
 */
export function answerFailedAttempt(ip: string | null): Response {
  const blocked = consumeFailedAttempt(rateLimitKeyFor(ip));
  if (blocked > 0) return jsonError("rate_limited", "Too many failed requests from this address. Retry later.", blocked);
  return jsonError("unauthorized", "Missing, invalid, expired or revoked agent token.");
}
