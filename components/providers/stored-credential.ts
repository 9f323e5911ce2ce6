import type { StoredCredential } from "@/components/providers/types";
import { formatParameters } from "@/lib/credentials/parameters";
import type { CredentialView } from "@/lib/credentials/queries";

/** Only the fields a card may show: a hint of each secret, never the secret. */
export function toStoredCredential(view: CredentialView): StoredCredential {
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
    parameters: formatParameters(view.parameters),
    tools: view.capabilities.tools ?? null,
    version: view.version,
    delivery: view.delivery,
  };
}
