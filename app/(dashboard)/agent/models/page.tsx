import type { Metadata } from "next";
import { PageHeader } from "@/components/app/page-header";
import { DefaultSummary } from "@/components/providers/default-summary";
import { ProviderCard } from "@/components/providers/provider-card";
import { toStoredCredential } from "@/components/providers/stored-credential";
import { NoticeList } from "@/components/shared/notice-banner";
import type { SharedCardData } from "@/components/shared/shared-credential-card";
import { SharedWithYou } from "@/components/shared/shared-with-you";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { gatewayUsageByCredential } from "@/lib/credentials/gateway-usage";
import { getUserDefaultId, listCredentials, type CredentialView } from "@/lib/credentials/queries";
import { listNotices } from "@/lib/orgs/revocation";
import { listSharedWithUser, type SharedCredential } from "@/lib/orgs/sharing";
import { userOwner } from "@/lib/owners";
import { getProvider, PROVIDERS } from "@/lib/providers/catalog";

export const metadata: Metadata = { title: "Models" };

/** A shared org credential for its read-only card: hints labelled as on the provider's own card. */
function toShared(c: SharedCredential): SharedCardData {
  const definition = getProvider(c.provider);
  const labels = new Map(definition?.fields.map((f) => [f.name, f.label]));
  return {
    id: c.id,
    providerName: definition?.name ?? c.provider,
    model: c.model,
    apiHost: c.apiHost,
    hints: Object.entries(c.secretHints).map(([name, hint]) => ({ label: labels.get(name) ?? name, hint })),
    status: c.status,
    statusDetail: c.statusDetail,
    validatedAt: c.validatedAt?.toISOString() ?? null,
    tools: c.capabilities.tools ?? null,
    orgName: c.orgName,
    orgSlug: c.orgSlug,
    delivery: c.delivery,
  };
}

/** The default an agent gets, for the summary line: one of the user's own cards, or a shared one. */
function currentDefault(defaultId: string | null, own: CredentialView[], shared: SharedCardData[]) {
  const mine = own.find((c) => c.id === defaultId);
  if (mine) return { providerName: getProvider(mine.provider)?.name ?? mine.provider, model: mine.model };
  const theirs = shared.find((c) => c.id === defaultId);
  return theirs ? { providerName: theirs.providerName, model: theirs.model, orgName: theirs.orgName } : null;
}

export default async function ModelsPage() {
  const user = await requireUser();
  const db = await getDb();
  const [credentials, defaultId, sharedRows, notices, usage] = await Promise.all([
    listCredentials(db, userOwner(user.id)),
    getUserDefaultId(db, user.id),
    listSharedWithUser(db, user.id),
    listNotices(db, user.id),
    gatewayUsageByCredential(db, userOwner(user.id)),
  ]);
  const byProvider = new Map(credentials.map((c) => [c.provider, c]));
  const shared = sharedRows.map(toShared);

  return (
    <>
      <PageHeader
        title="Models"
        description="Add your provider keys. BYOK checks each one with the provider before storing it encrypted; agents using your tokens get the default."
      />
      <NoticeList notices={notices.map((n) => ({ id: n.id, message: n.message, createdAt: n.createdAt.toISOString() }))} />
      <DefaultSummary current={currentDefault(defaultId, credentials, shared)} />
      <SharedWithYou credentials={shared} defaultId={defaultId} />
      <section aria-labelledby="own-keys-title">
        {/* Visible only next to "Shared with you"; always there so the user's own cards can be told apart. */}
        <h2 id="own-keys-title" className={shared.length > 0 ? "mb-3 text-lg font-semibold tracking-tight" : "sr-only"}>
          Your own keys
        </h2>
        <div className="grid gap-5 lg:grid-cols-2">
          {PROVIDERS.map((definition) => {
            const view = byProvider.get(definition.id);
            return (
              <ProviderCard
                key={`${definition.id}:${view?.version ?? 0}`}
                definition={definition}
                stored={view ? toStoredCredential(view) : null}
                isDefault={Boolean(view && view.id === defaultId)}
                usage={view ? usage.get(view.id) : undefined}
              />
            );
          })}
        </div>
      </section>
    </>
  );
}
