/** Server-side helpers for the token pages: plain rows for the list, and the origin for the example. */
import "server-only";
import { headers } from "next/headers";
import type { TokenRow } from "@/components/tokens/token-list";
import { pageOrigin } from "@/lib/app-url";
import type { ListedToken } from "@/lib/tokens/queries";
import { tokenHint } from "@/lib/tokens/token-format";

/** Plain rows; with `viewerId` (org tokens), each says who created it. */
export function toTokenRows(tokens: ListedToken[], viewerId?: string): TokenRow[] {
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    hint: tokenHint(t.lastFour),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    state: t.state,
    ...(viewerId ? { createdBy: t.createdByName, createdByYou: t.createdByUserId === viewerId } : {}),
  }));
}

/** BYOK's origin for the curl example under a new token (APP_URL, else the request's Host). */
export async function requestOrigin(): Promise<string> {
  return pageOrigin(await headers());
}
