/**
 * GET /api/v1/config — an agent's resolved model configuration. Bearer agent token; optional
 * `?provider=<id>`. JSON errors per design.md; never cached; never a 500 for a header value.
 */
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/auth/request-ip";
import { consumeFailedAttempt, consumeTokenRequest, failureBlockFor } from "@/lib/config/rate-limit";
import { resolveAgentConfig, touchToken } from "@/lib/config/resolve";
import { AppError } from "@/lib/errors";
import { errorResponse, jsonError, jsonOk } from "@/lib/http";
import { isProviderId } from "@/lib/providers/types";
import { parseBearer } from "@/lib/tokens/token-format";

export const dynamic = "force-dynamic";

const LAST_USED_EVERY_MS = 60_000;
const touching = new Set<string>();

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

    const db = await getDb();
    const { config, token: used } = await resolveAgentConfig(db, token, providerParam ?? undefined);
    const stale = !used.lastUsedAt || Date.now() - used.lastUsedAt.getTime() > LAST_USED_EVERY_MS;
    if (stale && !touching.has(used.id)) {
      touching.add(used.id);
      // Off the response path; at most one write per token per minute (and one in flight per instance).
      void touchToken(db, used.id)
        .catch(() => {})
        .finally(() => touching.delete(used.id));
    }
    return jsonOk(config);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") await consumeFailedAttempt(ip).catch(() => 0);
    return errorResponse(error, "GET /api/v1/config");
  }
}
