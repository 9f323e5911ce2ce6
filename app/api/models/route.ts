/**
 * GET /api/models?provider=<id> — model suggestions for the signed-in user's stored credential of
 * that provider: the provider's own list (through the guarded fetch, cached a few minutes per
 * credential), or the catalog's documented names when the provider has no list. Asking the provider
 * is rate-limited per user and address (429 with Retry-After) and capped per instance (503).
 * `?credential=<id>` asks for one credential the user may use instead (a profile's "Model Type").
 */
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/auth/request-ip";
import { getCurrentUser } from "@/lib/auth/session";
import { suggestModels, suggestModelsForCredential } from "@/lib/credentials/models";
import { errorResponse, jsonError, jsonOk } from "@/lib/http";
import { userOwner } from "@/lib/owners";
import { isProviderId } from "@/lib/providers/types";
import { limitProviderCheck } from "@/lib/rate-limits/expensive";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  try {
    const user = await getCurrentUser();
    if (!user) return jsonError("unauthorized", "Sign in to see model suggestions.");
    const db = await getDb();
    const ip = clientIp(request.headers);
    const credentialId = request.nextUrl.searchParams.get("credential");
    if (credentialId !== null) {
      const suggestions = await suggestModelsForCredential(db, user.id, credentialId, () =>
        limitProviderCheck(db, "suggest", { userId: user.id, ip }),
      );
      return suggestions ? jsonOk(suggestions) : jsonError("not_found", "No such provider.");
    }
    const provider = request.nextUrl.searchParams.get("provider");
    if (!isProviderId(provider)) return jsonError("invalid_request", "Unknown provider.");
    return jsonOk(await suggestModels(db, userOwner(user.id), provider, () => limitProviderCheck(db, "suggest", { userId: user.id, ip })));
  } catch (error) {
    return errorResponse(error, "GET /api/models");
  }
}
