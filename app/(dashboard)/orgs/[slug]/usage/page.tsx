import { LockIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/app/page-header";
import { FormAlert } from "@/components/auth/form-alert";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { Button } from "@/components/ui/button";
import { PricesSection } from "@/components/usage/prices-section";
import { RangePicker } from "@/components/usage/range-picker";
import { UsageView } from "@/components/usage/usage-view";
import { canManagePrices, canReadOrgUsage } from "@/lib/usage/access";
import { hasAnyUsage, loadUsage } from "@/lib/usage/load";
import { listPrices, priceableCredentials } from "@/lib/usage/prices";
import { parseRange } from "@/lib/usage/range";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Usage") };
}

type Props = OrgPageParams & { searchParams: Promise<{ range?: string | string[]; from?: string | string[]; to?: string | string[] }> };

/**
 * The organization's gateway usage, owners and admins only: every member's and org token's traffic
 * on the organization's credentials, and the prices that turn it into an estimated cost.
 */
export default async function OrgUsagePage({ params, searchParams }: Props) {
  const { db, org, role } = await loadOrgPage((await params).slug);
  const description = `Requests and tokens that went through the gateway on ${org.name}’s credentials, per member and org token. Days are UTC.`;

  if (!canReadOrgUsage(role)) {
    return (
      <>
        <OrgPageHeader orgName={org.name} role={role} title="Usage" />
        <EmptyState icon={<LockIcon />} title="Only owners and admins can read this organization’s usage">
          <p>Your own use of {org.name}’s credentials is on your Usage page.</p>
          <Button asChild variant="outline" size="sm" className="mt-4">
            <Link href="/usage">Your usage</Link>
          </Button>
        </EmptyState>
      </>
    );
  }

  const range = parseRange(await searchParams);
  const scope = { orgId: org.id };
  const [usage, anyUsage, prices, credentials] = await Promise.all([
    loadUsage(db, scope, range),
    hasAnyUsage(db, scope),
    listPrices(db, org.id),
    priceableCredentials(db, org.id),
  ]);
  return (
    <>
      <OrgPageHeader orgName={org.name} role={role} title="Usage" description={description} />
      <div className="grid gap-6">
        <RangePicker basePath={`/orgs/${org.slug}/usage`} range={range} />
        {range.error ? <FormAlert message={range.error} /> : null}
        <UsageView usage={usage} anyUsage={anyUsage} fileName={`usage-${org.slug}-${range.from}-to-${range.to}.csv`} />
        {canManagePrices(role) ? <PricesSection orgSlug={org.slug} prices={prices} credentials={credentials} /> : null}
      </div>
    </>
  );
}
