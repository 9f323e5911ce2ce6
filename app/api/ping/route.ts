/** A constant answer: the baseline the benchmark compares GET /api/v1/config against. */
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
