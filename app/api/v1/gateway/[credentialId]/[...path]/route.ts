/**
 * The gateway: `<method> /api/v1/gateway/<credentialId>/<path>?<query>` forwarded to the
 * credential's provider with its stored key (lib/gateway/handler.ts). Never cached; the answer
 * streams as it arrives.
 */
import { handleGateway } from "@/lib/gateway/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Context = { params: Promise<{ credentialId: string; path: string[] }> };

async function handle(request: Request, context: Context): Promise<Response> {
  const { credentialId } = await context.params;
  return handleGateway(request, credentialId);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
