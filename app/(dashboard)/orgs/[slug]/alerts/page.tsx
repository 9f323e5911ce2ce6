import { LockIcon } from "lucide-react";
import type { Metadata } from "next";
import { AlertsDescription, AlertsView } from "@/components/alerts/alerts-view";
import { EmptyState } from "@/components/app/page-header";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { loadAlertsPage } from "@/lib/alerts/webhooks";
import { can } from "@/lib/orgs/roles";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Alerts") };
}

/** The organization's alert webhooks and their delivery log. Owners and admins only. */
export default async function OrgAlertsPage({ params }: OrgPageParams) {
  const { db, org, role, userId } = await loadOrgPage((await params).slug);
  const header = <OrgPageHeader orgName={org.name} role={role} title="Alerts" description={<AlertsDescription org={org.name} />} />;
  if (!can(role, "manage_credentials")) {
    return (
      <>
        {header}
        <EmptyState icon={<LockIcon />} title="Only owners and admins manage organization alerts">
          Ask an owner or admin of {org.name} to add you to the alerts, or set up your own under Agent → Alerts.
        </EmptyState>
      </>
    );
  }
  const page = await loadAlertsPage(db, { userId }, { kind: "org", slug: org.slug });
  return (
    <>
      {header}
      <AlertsView page={page} orgSlug={org.slug} />
    </>
  );
}
