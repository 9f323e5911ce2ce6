import { LockIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/app/page-header";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokenList } from "@/components/tokens/token-list";
import { can } from "@/lib/orgs/roles";
import { listTokensInScope } from "@/lib/tokens/service";
import { requestOrigin, toTokenRows } from "@/lib/tokens/token-rows";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Tokens") };
}

/** Organization agent tokens: they resolve the organization's default. Owners and admins only. */
export default async function OrgTokensPage({ params }: OrgPageParams) {
  const { db, org, role, userId } = await loadOrgPage((await params).slug);
  const description = "Organization tokens let your programs fetch the organization's default model from GET /api/v1/config.";

  if (!can(role, "manage_tokens")) {
    return (
      <>
        <OrgPageHeader orgName={org.name} role={role} title="Tokens" description={description} />
        <EmptyState icon={<LockIcon />} title="Only owners and admins manage organization tokens">
          Ask an owner or admin of {org.name} for a token, or create a personal one under Agent → Tokens: it can use providers shared with
          you.
        </EmptyState>
      </>
    );
  }

  const tokens = await listTokensInScope(db, { userId }, { kind: "org", slug: org.slug });
  const rows = toTokenRows(tokens, userId);
  const origin = await requestOrigin();

  return (
    <>
      <OrgPageHeader orgName={org.name} role={role} title="Tokens" description={description} />
      <div className="grid gap-6">
        <CreateTokenForm origin={origin} orgSlug={org.slug} />
        <TokenList tokens={rows} orgSlug={org.slug} />
      </div>
    </>
  );
}
