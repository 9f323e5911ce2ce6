import { ArrowRightIcon, LayersIcon, LockIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/app/page-header";
import type { ProfilesPage } from "@/lib/profiles/service";
import { CreateProfileForm } from "./create-profile-form";
import { ProfileCard } from "./profile-card";
import type { ProfileCardData } from "./types";

/** The one-line explanation under the page title. */
export function ProfilesDescription() {
  return (
    <>
      An agent asks for a profile by name: <code className="font-mono text-xs">GET /api/v1/config?profile=coder</code>. The first usable
      model answers, the rest are its fallbacks.
    </>
  );
}

const toCard = (p: ProfilesPage["profiles"][number]): ProfileCardData => ({
  id: p.id,
  name: p.name,
  entries: p.entries.map(({ parameters: _parameters, ...entry }) => entry),
});

/** The body of /agent/profiles and /orgs/<slug>/profiles (server component: plain props down). */
export function ProfilesView({ page, orgSlug, orgName }: { page: ProfilesPage; orgSlug: string | null; orgName?: string }) {
  const modelsHref = orgSlug ? `/orgs/${orgSlug}/models` : "/agent/models";
  const noProviders = page.canEdit && page.options.length === 0;
  return (
    <div className="grid gap-6">
      {page.canEdit ? (
        <CreateProfileForm orgSlug={orgSlug} />
      ) : (
        <p className="flex items-start gap-2 rounded-lg border bg-card px-4 py-3 text-sm" role="note">
          <LockIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span className="min-w-0">
            Owners and admins of {orgName} edit these profiles. Your personal tokens can ask for them by name when you have no personal
            profile of that name.
          </span>
        </p>
      )}
      {noProviders ? (
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border bg-card px-4 py-3 text-sm" role="status">
          <span className="min-w-0">
            {orgSlug ? "This organization has no provider yet" : "You have no provider yet"}: a profile lists saved providers.
          </span>
          <Link href={modelsHref} className="ml-auto inline-flex items-center gap-1 font-medium text-primary hover:underline">
            Go to Models <ArrowRightIcon className="size-3.5" aria-hidden />
          </Link>
        </p>
      ) : null}
      {page.profiles.length === 0 ? (
        <EmptyState icon={<LayersIcon />} title="No profiles yet">
          {page.canEdit
            ? "Create one above, e.g. coder, and add the models to try in order."
            : "When an owner or admin creates one, it appears here."}
        </EmptyState>
      ) : (
        <div className="grid gap-5">
          {page.profiles.map((profile) => (
            <ProfileCard
              key={profile.id}
              profile={toCard(profile)}
              options={page.options}
              orgSlug={orgSlug}
              canEdit={page.canEdit}
              modelsHref={modelsHref}
            />
          ))}
        </div>
      )}
    </div>
  );
}
