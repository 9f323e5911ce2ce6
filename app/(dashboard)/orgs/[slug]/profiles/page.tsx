import type { Metadata } from "next";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { ProfilesDescription, ProfilesView } from "@/components/profiles/profiles-view";
import { loadProfilesPage } from "@/lib/profiles/service";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Profiles") };
}

/** The organization's profiles: editable by owners and admins, read-only for members (who may use them). */
export default async function OrgProfilesPage({ params }: OrgPageParams) {
  const { db, org, role, userId } = await loadOrgPage((await params).slug);
  const page = await loadProfilesPage(db, { userId }, { kind: "org", slug: org.slug });
  return (
    <>
      <OrgPageHeader orgName={org.name} role={role} title="Profiles" description={<ProfilesDescription />} />
      <ProfilesView page={page} orgSlug={org.slug} orgName={org.name} />
    </>
  );
}
