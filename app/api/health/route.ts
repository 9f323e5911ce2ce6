import { pingDatabase } from "@/db/client";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and humans. */
export async function GET() {
  const up = await pingDatabase();
  return Response.json(up ? { status: "ok", db: "ok" } : { status: "degraded", db: "down" }, {
    status: up ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
