/**
 * `/api/v1/gateway/profile/<name>/<path>`: the profile's usable entries of the first entry's
 * protocol family that accept the path, tried in order. Each attempt gets the entry's model (in
 * the JSON body, or in the path for Azure deployments and Bedrock) and its own usage row. A 429,
 * a 5xx, or no answer at all (502/504) moves on to the next candidate — decided at response-
 * headers time, so nothing of a discarded answer ever reaches the client; once an answer is
 * chosen it streams as on the per-credential gateway and is never retried. The last candidate's
 * answer is returned as is.
 */
import "server-only";
import { preparedQuery } from "@/db/client";
import { resolutionQuery } from "@/lib/resolution";
import { admitRequest } from "@/lib/budgets/admission";
import { errorResponse } from "@/lib/http";
import { isAppError } from "@/lib/errors";
import { entryCredential, openProfileEntry, profileCandidates, type ProfileEntryRow } from "@/lib/profiles/resolve";
import { isProfileName } from "@/lib/profiles/name";
import { gatewayFamily, getGatewaySpec } from "@/lib/providers/registry";
import type { GatewayAccess } from "./access";
import { bodyFor, parseBody, readRequestBody } from "./body";
import { answerClient, discardAttempt, sendUpstream, type Attempt } from "./forward";
import { pathNotAllowed, withGatewayToken, wrongMethod } from "./handler";
import { parseGatewayPath, profileForwardedPath } from "./path";
import { targetFor, type GatewaySpec, type ModelTarget } from "./types";

type Candidate = { entry: ProfileEntryRow; credential: GatewayAccess["credential"]; spec: GatewaySpec; target: ModelTarget; model: string };

/** Answers worth another candidate: rate limited, or the provider failing. */
const retryable = (status: number) => status === 429 || status >= 500;

/** A header value: the model as is when it is printable ASCII, else percent-encoded. */
const headerValue = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

type Selection = { candidates: Candidate[]; wrongMethod: string | null };

/** The entries that may answer `raw` with `method`: the first entry's family, each accepting the path and naming its model. */
function select(entries: readonly ProfileEntryRow[], raw: string | null, method: string): Selection {
  const selection: Selection = { candidates: [], wrongMethod: null };
  let family: ReturnType<typeof gatewayFamily> | null = null;
  for (const entry of entries) {
    const credential = entryCredential(entry);
    if (!credential) continue;
    family ??= gatewayFamily(credential.provider);
    if (gatewayFamily(credential.provider) !== family || raw === null) continue;
    const spec = getGatewaySpec(credential.provider);
    const segments = parseGatewayPath(raw, spec.slashInSegment);
    const route = segments && spec.route(segments, credential);
    if (!route) continue;
    if (route.method !== method) {
      selection.wrongMethod ??= route.method;
      continue;
    }
    const model = entry.model ?? "";
    const target = model ? targetFor(spec, route, credential, model) : null;
    if (target) selection.candidates.push({ entry, credential, spec, target, model });
  }
  return selection;
}

export function handleProfileGateway(request: Request, name: string): Promise<Response> {
  return withGatewayToken(request, async (tokenHash, seen) => {
    // A name no profile can have is looked up as "": the token is still judged first (401 before 404).
    const { token, entries } = await profileCandidates(resolutionQuery, tokenHash, isProfileName(name) ? name : "");
    seen(token);
    const url = new URL(request.url);
    const { candidates, wrongMethod: method } = select(entries, profileForwardedPath(url.pathname), request.method);
    if (candidates.length === 0) return method ? wrongMethod(method) : pathNotAllowed();

    // Read once (capped), parsed once, and replayed to each candidate with its model.
    const raw = request.method === "GET" ? undefined : await readRequestBody(request);
    const parsed = parseBody(raw, request.headers.get("content-type"));
    let attempts = 0;
    for (const [index, candidate] of candidates.entries()) {
      const last = index === candidates.length - 1;
      const { entry, spec, target } = candidate;
      attempts++;
      let attempt: Attempt;
      try {
        const access = { token, credential: openProfileEntry(entry, candidate.credential) };
        // Each attempt is metered against its credential's budgets; one that is spent moves on to the next candidate.
        const admission = await admitRequest(preparedQuery, {
          tokenId: token.id,
          userId: token.ownerUserId,
          credentialId: access.credential.id,
          credentialOrgId: access.credential.ownerOrgId,
        });
        const prepared = bodyFor(parsed, target.route.askUsage, target.bodyModel);
        attempt = await sendUpstream({ request, access, spec, route: target.route, search: url.search, prepared, admission });
      } catch (error) {
        if (isAppError(error) && error.code === "budget_exceeded" && !last) continue;
        // Unreachable or silent: the next candidate, unless this was the last one or the client left.
        const upstreamFailure = isAppError(error) && (error.code === "upstream_unreachable" || error.code === "upstream_timeout");
        if (upstreamFailure && !last && !request.signal.aborted) continue;
        const answer = errorResponse(error, "gateway");
        answer.headers.set("x-byok-attempts", String(attempts));
        return answer;
      }
      if (retryable(attempt.upstream.status) && !last && !request.signal.aborted) {
        discardAttempt(attempt);
        continue;
      }
      const headers = new Headers({
        "x-byok-credential": entry.credential_id,
        "x-byok-model": headerValue(candidate.model),
        "x-byok-attempts": String(attempts),
      });
      return answerClient(attempt, headers);
    }
    throw new Error("unreachable: the last candidate always answers");
  });
}
