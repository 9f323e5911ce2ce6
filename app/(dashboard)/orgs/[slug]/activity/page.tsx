import { LockIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityFeed } from "@/components/activity/activity-feed";
import { EmptyState } from "@/components/app/page-header";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { Button } from "@/components/ui/button";
import { kindParam, loadActivity } from "@/lib/audit/load-activity";
import { can } from "@/lib/orgs/roles";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Activity") };
}

type Props = OrgPageParams & { searchParams: Promise<{ kind?: string | string[] }> };

/**
 * The organization's activity log, owners and admins only (the same read_activity permission
 * GET /api/activity?org= checks). Non-members get the organization's 404; members a clear refusal.
 */
export default async function OrgActivityPage({ params, searchParams }: Props) {
  const { db, org, role } = await loadOrgPage((await params).slug);
  const description = `Who changed ${org.name}’s providers, sharing, members and tokens, and how its agents fetched their config. Keys are never shown here.`;

  if (!can(role, "read_activity")) {
    return (
      <>
        <OrgPageHeader orgName={org.name} role={role} title="Activity" />
        <EmptyState icon={<LockIcon />} title="Only owners and admins can read this organization’s activity">
          <p>Ask an owner or admin of {org.name} if you need to know who changed what.</p>
          <Button asChild variant="outline" size="sm" className="mt-4">
            <Link href={`/orgs/${org.slug}/models`}>Back to {org.name}</Link>
          </Button>
        </EmptyState>
      </>
    );
  }

  const props = await loadActivity(db, { orgId: org.id }, kindParam((await searchParams).kind));
  return (
    <>
      <OrgPageHeader orgName={org.name} role={role} title="Activity" description={description} />
      <ActivityFeed orgSlug={org.slug} {...props} />
    </>
  );
}
