/**
 * GET /api/v1/config — an agent's resolved model configuration. Bearer agent token; optional
 * `?provider=<id>`. JSON errors per design.md; never cached; never a 500 for a header value.
 */
import type { NextRequest } from "next/server";
import { preparedQuery } from "@/db/client";
import { clientIp } from "@/lib/auth/request-ip";
import { consumeFailedAttempt, consumeTokenRequest, failureBlockFor } from "@/lib/config/rate-limit";
import { noteConfigFetch } from "@/lib/audit/config-fetches";
import { noteTokenUse, resolveAgentConfig, UnresolvedConfig, type ResolvedConfig } from "@/lib/config/resolve";
import { AppError } from "@/lib/errors";
import { errorResponse, jsonError, jsonOk } from "@/lib/http";
import { isProviderId } from "@/lib/providers/types";
import { parseBearer } from "@/lib/tokens/token-format";

export const dynamic = "force-dynamic";

/** Last-used and the coalesced activity entry, batched off the response path. */
function noteUse(used: ResolvedConfig["token"], ip: string, outcome: string, resolved?: ResolvedConfig) {
  noteConfigFetch({
    tokenId: used.id,
    ip,
    scope: { userId: used.ownerUserId, orgId: used.ownerOrgId ?? (resolved?.config.source.type === "org" ? resolved.config.source.id : null) },
    outcome,
    credentialId: resolved?.credentialId,
    provider: resolved?.config.provider,
  });
  noteTokenUse(preparedQuery, used);
}

export async function GET(request: NextRequest) {
  const ip = clientIp(request.headers) ?? "unknown";
  try {
    const params = request.nextUrl.searchParams;
    const providerParam = params.get("provider");
    if (params.getAll("provider").length > 1 || (providerParam !== null && !isProviderId(providerParam))) {
      return jsonError("invalid_request", "Unknown provider. Use one of the ids listed in the docs, e.g. ?provider=openai.");
    }
    const blocked = await failureBlockFor(ip);
    if (blocked > 0) return jsonError("rate_limited", "Too many failed requests from this address. Retry later.", blocked);

    const token = parseBearer(request.headers.get("authorization"));
    if (!token) {
      await consumeFailedAttempt(ip);
      return jsonError("unauthorized", "Missing, invalid, expired or revoked agent token.");
    }
    const wait = await consumeTokenRequest(token.slice(-16));
    if (wait > 0) return jsonError("rate_limited", "Too many requests for this token. Retry later.", wait);

    const resolved = await resolveAgentConfig(preparedQuery, token, providerParam ?? undefined).catch((error: unknown) => {
      if (error instanceof UnresolvedConfig) noteUse(error.token, ip, error.code);
      throw error;
    });
    noteUse(resolved.token, ip, "ok", resolved);
    return jsonOk(resolved.config);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") await consumeFailedAttempt(ip).catch(() => 0);
    return errorResponse(error, "GET /api/v1/config");
  }
}
