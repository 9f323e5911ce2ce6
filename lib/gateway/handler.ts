/**
 * `/api/v1/gateway/<credentialId>/<path>`: the agent token (Bearer, x-api-key or api-key), the
 * per-token limit, access to the credential by the shared rule, the path allowlist, then
 * ./forward.ts. BYOK's own errors are JSON `{"error":{"code","message"}}`; bad tokens count
 * against the client address like /api/v1/config's. `withGatewayToken` is that token handling,
 * shared with the profile gateway (./profile.ts).
 */
import "server-only";
import { preparedQuery } from "@/db/client";
import { resolutionQuery } from "@/lib/resolution";
import { clientIp } from "@/lib/auth/request-ip";
import { admitRequest } from "@/lib/budgets/admission";
import { answerFailedAttempt } from "@/lib/config/rate-limit";
import { noteTokenUse } from "@/lib/config/resolve";
import { isAppError } from "@/lib/errors";
import { errorResponse, jsonError } from "@/lib/http";
import { isUuid } from "@/lib/owners";
import { forgetPresentedToken } from "@/lib/tokens/forget-presented";
import { hashToken, parseBearer, TOKEN_PATTERN } from "@/lib/tokens/token-format";
import { gatewayAccess, type GatewayToken } from "./access";
import { forward } from "./forward";
import { forwardedPath, parseGatewayPath } from "./path";
import { consumeGatewayRequest } from "./rate-limit";
import { getGatewaySpec } from "@/lib/providers/registry";

const CONTEXT = "gateway";
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The agent token, sent the way its SDK sends a key; null when absent or malformed. */
export function agentTokenOf(headers: Headers): string | null {
  const bearer = parseBearer(headers.get("authorization"));
  if (bearer) return bearer;
  for (const name of ["x-api-key", "api-key"]) {
    const value = headers.get(name)?.trim();
    if (value && TOKEN_PATTERN.test(value)) return value;
  }
  return null;
}

/** Marks the agent token as judged valid: its use counts, and a later 401 is not a failed attempt. */
export type TokenSeen = (token: GatewayToken) => void;

/**
 * What every gateway route does around its own work: the agent token (absent or malformed: a
 * failed attempt against the client address), the per-token limit, then `run`; BYOK's own errors
 * as JSON. An unknown token's 401 counts as a failed attempt too, unless `run` said it saw the
 * token; an error that carries a known `token` (404s of resolution) still counts as its use.
 */
export async function withGatewayToken(
  request: Request,
  run: (tokenHash: string, seen: TokenSeen) => Promise<Response>,
): Promise<Response> {
  const address = clientIp(request.headers);
  let known = false;
  const seen: TokenSeen = (token) => {
    known = true;
    noteTokenUse(preparedQuery, token);
  };
  try {
    const agentToken = agentTokenOf(request.headers);
    if (!agentToken) return answerFailedAttempt(address);
    forgetPresentedToken(agentToken);
    // The limit is keyed by the token's hash, never the token (lib/config/rate-limit.ts), and `run`
    // gets only the hash: the gateways look the token up by it and never need the token itself.
    const tokenHash = hashToken(agentToken);
    const wait = consumeGatewayRequest(tokenHash);
    if (wait > 0) return jsonError("rate_limited", "Too many requests for this token. Retry later.", wait);
    return await run(tokenHash, seen);
  } catch (error) {
    const token = (error as { token?: GatewayToken } | null)?.token;
    if (token && !known) seen(token);
    if (isAppError(error) && error.code === "unauthorized" && !known) return answerFailedAttempt(address);
    return errorResponse(error, CONTEXT);
  }
}

export function handleGateway(request: Request, credentialId: string): Promise<Response> {
  return withGatewayToken(request, async (tokenHash, seen) => {
    // A malformed id is looked up as the nil uuid: the token is still judged first (401 before 404).
    const lookupId = isUuid(credentialId) ? credentialId : NIL_UUID;
    const access = await gatewayAccess(resolutionQuery, tokenHash, lookupId);
    seen(access.token);

    const url = new URL(request.url);
    const spec = getGatewaySpec(access.credential.provider);
    const raw = forwardedPath(url.pathname);
    const segments = raw === null ? null : parseGatewayPath(raw, spec.slashInSegment);
    const route = segments && spec.route(segments, access.credential);
    if (!route) return pathNotAllowed();
    if (route.method !== request.method) return wrongMethod(route.method);
    // Budgets meter gateway traffic: admitted (and counted) here, or refused with 429 budget_exceeded.
    const admission = await admitRequest(preparedQuery, {
      tokenId: access.token.id,
      userId: access.token.ownerUserId,
      credentialId: access.credential.id,
      credentialOrgId: access.credential.ownerOrgId,
    });
    return await forward({ request, access, spec, route, search: url.search, admission });
  });
}

export const pathNotAllowed = () =>
  jsonError("path_not_allowed", "The gateway forwards only model requests and model listings for this provider.");

export const wrongMethod = (method: string) => jsonError("path_not_allowed", `The gateway forwards only ${method} requests on this path.`);
