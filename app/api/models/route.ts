/**
 * GET /api/models?provider=<id> — model suggestions for the signed-in user's stored credential of
 * that provider: the provider's own list (through the guarded fetch, cached a few minutes per
 * credential), or the catalog's documented names when the provider has no list.
 */
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/session";
import { suggestModels } from "@/lib/credentials/models";
import { errorResponse, jsonError, jsonOk } from "@/lib/http";
import { userOwner } from "@/lib/owners";
import { isProviderId } from "@/lib/providers/types";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  try {
    const user = await getCurrentUser();
    if (!user) return jsonError("unauthorized", "Sign in to see model suggestions.");
    const provider = request.nextUrl.searchParams.get("provider");
    if (!isProviderId(provider)) return jsonError("invalid_request", "Unknown provider.");
    return jsonOk(await suggestModels(await getDb(), userOwner(user.id), provider));
  } catch (error) {
    return errorResponse(error, "GET /api/models");
  }
}
