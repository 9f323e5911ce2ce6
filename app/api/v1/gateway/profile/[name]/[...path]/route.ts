/**
 * The profile gateway: `<method> /api/v1/gateway/profile/<name>/<path>?<query>` forwarded to the
 * profile's entries in order, failing over before the first response byte (lib/gateway/profile.ts).
 * The static `profile` segment wins over the per-credential `[credentialId]` route beside it.
 */
import { handleProfileGateway } from "@/lib/gateway/profile";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Context = { params: Promise<{ name: string; path: string[] }> };

async function handle(request: Request, context: Context): Promise<Response> {
  const { name } = await context.params;
  return handleProfileGateway(request, name);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
