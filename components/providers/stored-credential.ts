import type { StoredCredential } from "@/components/providers/types";
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
    parameters: view.parameters ? JSON.stringify(view.parameters, null, 2) : "",
    tools: view.capabilities.tools ?? null,
    version: view.version,
  };
}
