import type { Metadata } from "next";
import { PageHeader } from "@/components/app/page-header";
import { DefaultSummary } from "@/components/providers/default-summary";
import { ProviderCard } from "@/components/providers/provider-card";
import type { StoredCredential } from "@/components/providers/types";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { getUserDefaultId, listCredentials, type CredentialView } from "@/lib/credentials/queries";
import { userOwner } from "@/lib/owners";
import { PROVIDERS } from "@/lib/providers/catalog";

export const metadata: Metadata = { title: "Models" };

/** Only the fields a card may show: a hint of each secret, never the secret. */
function toStored(view: CredentialView): StoredCredential {
  return {
    id: view.id,
    model: view.model,
    apiHost: view.apiHost,
    extra: view.extra,
    secretHints: view.secretHints,
    status: view.status,
    statusCode: view.statusCode,
    statusDetail: view.statusDetail,
    validatedAt: view.validatedAt?.toISOString() ?? null,
    parameters: view.parameters ? JSON.stringify(view.parameters, null, 2) : "",
    tools: view.capabilities.tools ?? null,
    version: view.version,
  };
}

export default async function ModelsPage() {
  const user = await requireUser();
  const db = await getDb();
  const [credentials, defaultId] = await Promise.all([listCredentials(db, userOwner(user.id)), getUserDefaultId(db, user.id)]);
  const byProvider = new Map(credentials.map((c) => [c.provider, c]));
  const providers = PROVIDERS.filter((p) => p.enabled);
  const current = credentials.find((c) => c.id === defaultId);
  const currentName = current ? (PROVIDERS.find((p) => p.id === current.provider)?.name ?? current.provider) : null;

  return (
    <>
      <PageHeader
        title="Models"
        description="Add your provider keys. BYOK checks each one with the provider before storing it encrypted; agents using your tokens get the default."
      />
      <DefaultSummary current={current && currentName ? { providerName: currentName, model: current.model } : null} />
      <div className="grid gap-5 lg:grid-cols-2">
        {providers.map((definition) => {
          const view = byProvider.get(definition.id);
          return (
            <ProviderCard
              key={`${definition.id}:${view?.version ?? 0}`}
              definition={definition}
              stored={view ? toStored(view) : null}
              isDefault={Boolean(view && view.id === defaultId)}
            />
          );
        })}
      </div>
    </>
  );
}
