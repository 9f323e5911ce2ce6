/** Server-side helpers for the token pages: plain rows for the list, and the origin for the example. */
import "server-only";
import { headers } from "next/headers";
import { pageOrigin } from "@/lib/app-url";
import type { ListedToken } from "@/lib/tokens/queries";
import { tokenHint } from "@/lib/tokens/token-format";

/** One row of a token list, plain data for the client component. */
export type TokenRow = {
  id: string;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  state: "active" | "expired" | "revoked";
  /** Org tokens: who created it (null: their account was deleted); `createdByYou` for the viewer's own. */
  createdBy?: string | null;
  createdByYou?: boolean;
};

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
