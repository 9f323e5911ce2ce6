/**
 * GET /api/v1/openapi.json — the OpenAPI 3.1 document of the agent API (lib/openapi/document.ts).
 * Public: it describes the API, holds nothing secret, and agents and tools read it before they
 * have a token. Dynamic so APP_URL is read at run time (a build-time copy would bake in the
 * build machine's), then built once per process.
 */
import { servedOpenApiJson } from "@/lib/openapi/served";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response(servedOpenApiJson(), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      // API tools (Swagger UI, code generators) fetch it from other origins; it is public anyway.
      "Access-Control-Allow-Origin": "*",
    },
  });
}
