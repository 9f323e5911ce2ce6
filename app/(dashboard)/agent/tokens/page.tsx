import type { Metadata } from "next";
import { headers } from "next/headers";
import { PageHeader } from "@/components/app/page-header";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokenList, type TokenRow } from "@/components/tokens/token-list";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { userOwner } from "@/lib/owners";
import { listTokens } from "@/lib/tokens/queries";
import { tokenHint } from "@/lib/tokens/token-format";

export const metadata: Metadata = { title: "Tokens" };

export default async function TokensPage() {
  const user = await requireUser();
  const tokens = await listTokens(await getDb(), userOwner(user.id));
  const rows: TokenRow[] = tokens.map((t) => ({
    id: t.id,
    name: t.name,
    hint: tokenHint(t.lastFour),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    state: t.state,
  }));
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;

  return (
    <>
      <PageHeader title="Tokens" description="Agent tokens let your programs fetch their model configuration from GET /api/v1/config." />
      <div className="grid gap-6">
        <CreateTokenForm origin={origin} />
        <TokenList tokens={rows} />
      </div>
    </>
  );
}
