import type { Metadata } from "next";
import { PageHeader } from "@/components/app/page-header";
import { ProfilesDescription, ProfilesView } from "@/components/profiles/profiles-view";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { loadProfilesPage } from "@/lib/profiles/service";

export const metadata: Metadata = { title: "Profiles" };

export default async function ProfilesPage() {
  const user = await requireUser();
  const page = await loadProfilesPage(await getDb(), { userId: user.id }, { kind: "user" });
  return (
    <>
      <PageHeader title="Profiles" description={<ProfilesDescription />} />
      <ProfilesView page={page} orgSlug={null} />
    </>
  );
}
