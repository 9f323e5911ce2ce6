import type { Metadata } from "next";
import { PageHeader } from "@/components/app/page-header";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokenList } from "@/components/tokens/token-list";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { listUserOrgs } from "@/lib/orgs/organizations";
import { userOwner } from "@/lib/owners";
import { listTokens } from "@/lib/tokens/queries";
import { requestOrigin, toTokenRows } from "@/lib/tokens/token-rows";

export const metadata: Metadata = { title: "Tokens" };

export default async function TokensPage() {
  const user = await requireUser();
  const db = await getDb();
  const [tokens, orgs] = await Promise.all([listTokens(db, userOwner(user.id)), listUserOrgs(db, user.id)]);
  const rows = toTokenRows(tokens);
  const origin = await requestOrigin();

  return (
    <>
      <PageHeader title="Tokens" description="Agent tokens let your programs fetch their model configuration from GET /api/v1/config." />
      <div className="grid gap-6">
        <CreateTokenForm origin={origin} scopeOrgs={orgs.map((o) => ({ slug: o.slug, name: o.name }))} />
        <TokenList tokens={rows} />
      </div>
    </>
  );
}
