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
import { configAnswer } from "@/lib/config/config-format";
import { answerFailedAttempt, consumeTokenRequest } from "@/lib/config/rate-limit";
import { noteConfigFetch } from "@/lib/audit/config-fetches";
import { parseConfigQuery } from "@/lib/config/contract";
import { noteTokenUse, resolveAgentConfig, UnresolvedConfig, type ResolvedConfig } from "@/lib/config/resolve";
import { isAppError } from "@/lib/errors";
import { resolveProfileConfig } from "@/lib/profiles/resolve";
import { errorResponse, jsonError } from "@/lib/http";
import { parseBearer } from "@/lib/tokens/token-format";

export const dynamic = "force-dynamic";

/** Last-used and the coalesced activity entry, batched off the response path. */
function noteUse(used: ResolvedConfig["token"], ip: string, outcome: string, resolved?: ResolvedConfig) {
  noteConfigFetch({
    tokenId: used.id,
    ip,
    scope: {
      userId: used.ownerUserId,
      orgId: used.ownerOrgId ?? (resolved?.config.source.type === "org" ? resolved.config.source.id : null),
    },
    outcome,
    credentialId: resolved?.credentialId,
    provider: resolved?.config.provider,
  });
  noteTokenUse(preparedQuery, used);
}

export async function GET(request: NextRequest) {
  const address = clientIp(request.headers);
  const ip = address ?? "unknown";
  try {
    // provider, profile and format, typed by the published contract (lib/config/contract.ts).
    const parsed = parseConfigQuery(request.nextUrl.searchParams);
    if (!parsed.ok) return jsonError("invalid_request", parsed.message);
    const { provider, profile, format } = parsed.query;
    const token = parseBearer(request.headers.get("authorization"));
    if (!token) return await answerFailedAttempt(address);
    const wait = await consumeTokenRequest(token.slice(-16));
    if (wait > 0) return jsonError("rate_limited", "Too many requests for this token. Retry later.", wait);

    // Gateway-mode answers point at BYOK: APP_URL, else this request's own Host (only the agent
    // that sent the request sees the answer).
    const origin = pageOrigin(request.headers);
    let resolved: ResolvedConfig;
    try {
      // A resolution cache hit answers synchronously: no await on the hot path past the rate limit.
      const resolution =
        profile !== undefined
          ? resolveProfileConfig(resolutionQuery, token, profile, { origin })
          : resolveAgentConfig(resolutionQuery, token, provider, { origin });
      resolved = resolution instanceof Promise ? await resolution : resolution;
    } catch (error) {
      if (error instanceof UnresolvedConfig) noteUse(error.token, ip, error.code);
      throw error;
    }
    const answer = configAnswer(resolved.config, format);
    noteUse(resolved.token, ip, answer.ok ? "ok" : "unrepresentable_value", resolved);
    return answer;
  } catch (error) {
    if (isAppError(error) && error.code === "unauthorized")
      return answerFailedAttempt(address).catch((e: unknown) => errorResponse(e, "GET /api/v1/config"));
    return errorResponse(error, "GET /api/v1/config");
  }
}
