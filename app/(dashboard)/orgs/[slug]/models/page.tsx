import type { Metadata } from "next";
import { OrgDefaultSummary } from "@/components/orgs/org-default-summary";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { ReadOnlyCard } from "@/components/orgs/read-only-card";
import { ShareControl } from "@/components/orgs/share-control";
import { ProviderCard } from "@/components/providers/provider-card";
import { toStoredCredential } from "@/components/providers/stored-credential";
import { gatewayUsageByCredential } from "@/lib/credentials/gateway-usage";
import { listCredentials } from "@/lib/credentials/queries";
import { listMembers } from "@/lib/orgs/members";
import { can } from "@/lib/orgs/roles";
import { getOrgDefaultId, listShares } from "@/lib/orgs/sharing";
import { orgOwner } from "@/lib/owners";
import { PROVIDERS } from "@/lib/providers/catalog";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Models") };
}

/** The organization's provider cards: editable (with sharing) for owners and admins, read-only for members. */
export default async function OrgModelsPage({ params }: OrgPageParams) {
  const { db, org, role, userId } = await loadOrgPage((await params).slug);
  const manage = can(role, "manage_credentials");
  const [credentials, defaultId, shares, members, usage] = await Promise.all([
    listCredentials(db, orgOwner(org.id)),
    getOrgDefaultId(db, org.id),
    listShares(db, org.id),
    can(role, "share") ? listMembers(db, org.id) : Promise.resolve([]),
    manage ? gatewayUsageByCredential(db, orgOwner(org.id)) : Promise.resolve(new Map<string, never>()),
  ]);
  const byProvider = new Map(credentials.map((c) => [c.provider, c]));
  const current = credentials.find((c) => c.id === defaultId);
  const currentName = current ? (PROVIDERS.find((p) => p.id === current.provider)?.name ?? current.provider) : null;
  const shareable = members.filter((m) => m.role === "member").map(({ userId: id, name, email }) => ({ userId: id, name, email }));

  return (
    <>
      <OrgPageHeader
        orgName={org.name}
        role={role}
        title="Models"
        description={
          manage
            ? "Provider keys for the whole organization. Share each with all members or selected ones: they use it without ever seeing the key."
            : "The organization's providers. Owners and admins manage them; the ones shared with you appear on your Models page."
        }
      />
      <OrgDefaultSummary
        slug={org.slug}
        canManage={manage}
        current={current && currentName ? { providerName: currentName, model: current.model } : null}
      />
      <div className="grid gap-5 lg:grid-cols-2">
        {PROVIDERS.map((definition) => {
          const view = byProvider.get(definition.id);
          const stored = view ? toStoredCredential(view) : null;
          const isDefault = Boolean(view && view.id === defaultId);
          const sharing = view ? (shares.get(view.id) ?? { mode: "all" as const, userIds: [] }) : null;
          if (!manage) {
            const available = Boolean(sharing && (sharing.mode === "all" || sharing.userIds.includes(userId)));
            return <ReadOnlyCard key={definition.id} definition={definition} stored={stored} isDefault={isDefault} available={available} />;
          }
          return (
            <ProviderCard
              key={`${definition.id}:${view?.version ?? 0}`}
              definition={definition}
              stored={stored}
              isDefault={isDefault}
              orgSlug={org.slug}
              usage={view ? usage.get(view.id) : undefined}
            >
              {view && sharing ? (
                <ShareControl slug={org.slug} credentialId={view.id} providerName={definition.name} initial={sharing} members={shareable} />
              ) : null}
            </ProviderCard>
          );
        })}
      </div>
    </>
  );
}
