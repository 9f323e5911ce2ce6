/**
 * GET /api/session-ended — where pages send a browser whose session cookie is signed but dead (the
 * user signed out of all devices, changed their password elsewhere, or deleted the account). It
 * deletes the cookie and goes on to /login, which says the session has ended. A live session is
 * left alone (so a link to this address cannot sign anyone out) and goes to the dashboard.
 */
import { type NextRequest, NextResponse } from "next/server";
import { clearSessionCookies } from "@/lib/auth/session-cookie";
import { getSessionStatus } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const status = await getSessionStatus().catch(() => ({ kind: "unknown" }) as const);
  if (status.kind === "user") return redirect("/agent/models");
  // Database down: keep the cookie (it may be live) and let /login's next visit try again.
  if (status.kind === "unknown") return redirect("/login");
  const response = redirect(status.kind === "stale" ? "/login?notice=session-ended" : "/login");
  clearSessionCookies(request.cookies, response.cookies);
  return response;
}

/** A relative Location: the browser stays on the host it used (the server may know itself by another name). */
function redirect(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });
}
