/**
 * GET /api/v1/config — an agent's resolved model configuration. Bearer agent token; query per
 * lib/config/contract.ts (`?provider=<id>`, `?profile=<name>`, `?format=json|env`). JSON errors per
 * design.md; never cached; never a 500 for a header value.
 * `delivery` says what the agent got: the key (key mode) or BYOK's gateway address under APP_URL,
 * else this request's origin, with its own token as the key (gateway mode).
 */
import type { NextRequest } from "next/server";
import { preparedQuery } from "@/db/client";
import { resolutionQuery } from "@/lib/resolution";
import { pageOrigin } from "@/lib/app-url";
import { clientIp } from "@/lib/auth/request-ip";
import { configAnswer, type ConfigFormat } from "@/lib/config/config-format";
import { answerFailedAttempt, consumeTokenRequest } from "@/lib/config/rate-limit";
import { noteConfigFetch } from "@/lib/audit/config-fetches";
import { parseConfigQuery } from "@/lib/config/contract";
import { noteTokenUse, resolveAgentConfig, UnresolvedConfig, type ResolvedConfig } from "@/lib/config/resolve";
import { isAppError } from "@/lib/errors";
import { resolveProfileConfig } from "@/lib/profiles/resolve";
import { errorResponse, jsonError } from "@/lib/http";
import { forgetPresentedToken } from "@/lib/tokens/forget-presented";
import { hashToken, parseBearer } from "@/lib/tokens/token-format";

export const dynamic = "force-dynamic";

/**
 * Last-used and the coalesced activity entry, batched off the response path. `now` is the clock
 * reading the request already made (a hit), else a new one (after a query).
 */
function noteUse(used: ResolvedConfig["token"], ip: string, outcome: string, resolved?: ResolvedConfig, now = Date.now()) {
  noteConfigFetch(used, ip, outcome, resolved, now);
  noteTokenUse(preparedQuery, used, now);
}

/** The 200 answer (or 422 for ?format=env), its use noted after it is built. */
function answer(resolved: ResolvedConfig, format: ConfigFormat, ip: string, now?: number): Response {
  const response = configAnswer(resolved, format);
  noteUse(resolved.token, ip, response.ok ? "ok" : "unrepresentable_value", resolved, now);
  return response;
}

/** Any failure: a known token that resolves to nothing still counts as its use; unknown tokens count against the address. */
function failure(error: unknown, address: string | null): Response {
  if (error instanceof UnresolvedConfig) noteUse(error.token, address ?? "unknown", error.code);
  if (isAppError(error) && error.code === "unauthorized") return answerFailedAttempt(address);
  return errorResponse(error, "GET /api/v1/config");
}

/**
 * Not async on purpose: a resolution-cache hit (the steady state of an agent that keeps calling) is
 * answered synchronously, without a single promise; a miss returns the promise of the query.
 */
export function GET(request: NextRequest): Response | Promise<Response> {
  const address = clientIp(request.headers);
  try {
    // provider, profile and format, typed by the published contract (lib/config/contract.ts).
    const parsed = parseConfigQuery(request.nextUrl.searchParams);
    if (!parsed.ok) return jsonError("invalid_request", parsed.message);
    const { provider, profile, format } = parsed.query;
    const token = parseBearer(request.headers.get("authorization"));
    if (!token) return answerFailedAttempt(address);
    forgetPresentedToken(token);
    const tokenHash = hashToken(token);
    // One clock reading for the limit and the use notes of a hit: in a route handler Next wraps
    // Date.now (it watches prerenders for clock reads), two AsyncLocalStorage look-ups a call.
    const now = Date.now();
    const wait = consumeTokenRequest(tokenHash, now);
    if (wait > 0) return jsonError("rate_limited", "Too many requests for this token. Retry later.", wait);

    // Gateway-mode answers point at BYOK: APP_URL, else this request's own Host (only the agent
    // that sent the request sees the answer). Worked out only for such an answer.
    const origin = () => pageOrigin(request.headers);
    const ip = address ?? "unknown";
    const resolution =
      profile !== undefined
        ? resolveProfileConfig(resolutionQuery, token, profile, { origin, tokenHash })
        : resolveAgentConfig(resolutionQuery, token, provider, { origin, tokenHash });
    if (resolution instanceof Promise) {
      return resolution.then((resolved) => answer(resolved, format, ip)).catch((error: unknown) => failure(error, address));
    }
    return answer(resolution, format, ip, now);
  } catch (error) {
    return failure(error, address);
  }
}
