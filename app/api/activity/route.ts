/**
 * GET /api/activity — one page of the activity log, newest first: the signed-in user's own, or an
 * organization's (`?org=<slug>`, owners and admins). `?kind=` filters, `?cursor=` pages on.
 */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { EVENT_KINDS, listEvents } from "@/lib/audit/events";
import { getCurrentUser } from "@/lib/auth/session";
import { errorResponse, jsonError, jsonOk } from "@/lib/http";
import { requireOrgPermission } from "@/lib/orgs/access";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  org: z.string().max(64).optional(),
  kind: z.enum(EVENT_KINDS).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export async function GET(request: NextRequest) {
  try {
    const user = await getCurrentUser();
    if (!user) return jsonError("unauthorized", "Sign in to see activity.");
    const parsed = querySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
    if (!parsed.success) return jsonError("invalid_request", "Unknown filter.");
    const { org, kind, cursor, limit } = parsed.data;
    const db = await getDb();
    const scope = org ? { orgId: (await requireOrgPermission(db, org, user.id, "read_activity")).org.id } : { userId: user.id };
    return jsonOk(await listEvents(db, scope, { kind, cursor, limit }));
  } catch (error) {
    return errorResponse(error, "GET /api/activity");
  }
}
