import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BudgetSection, BudgetsDescription, MeteringNote } from "@/components/budgets/budgets-view";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { loadOrgBudgets } from "@/lib/budgets/pages";
import { can } from "@/lib/orgs/roles";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Budgets") };
}

/** Owners and admins: monthly limits per credential, per member and per org token, with this month's use. */
export default async function OrgBudgetsPage({ params }: OrgPageParams) {
  const { db, org, role, userId } = await loadOrgPage((await params).slug);
  if (!can(role, "manage_credentials")) notFound();
  const page = await loadOrgBudgets(db, userId, org.slug);
  return (
    <>
      <OrgPageHeader orgName={org.name} role={role} title="Budgets" description={<BudgetsDescription />} />
      <div className="grid gap-8">
        <MeteringNote month={page.month} />
        <BudgetSection
          title="Providers"
          description="Everyone's gateway use of one of the organization's providers."
          rows={page.credentials}
          orgSlug={org.slug}
          empty={{ title: "No providers yet", body: "Add a provider on the Models page, then give it a budget here." }}
        />
        <BudgetSection
          title="Members"
          description="One member's gateway use across all of the organization's providers, with any of their tokens."
          rows={page.members}
          orgSlug={org.slug}
          empty={{ title: "No members", body: "Invite people on the Members page." }}
        />
        <BudgetSection
          title="Organization tokens"
          description="One organization token's gateway use."
          rows={page.tokens}
          orgSlug={org.slug}
          empty={{ title: "No organization tokens", body: "Create one on the Tokens page." }}
        />
      </div>
    </>
  );
}
