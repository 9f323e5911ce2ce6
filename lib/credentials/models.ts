/** Model suggestions for a card: the provider's list for the stored credential, else the catalog's. */
import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { providerCredentials } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { usableBy } from "@/lib/orgs/revocation";
import { isUuid, type Owner } from "@/lib/owners";
import { getProvider } from "@/lib/providers/catalog";
import { isProviderId, type ProviderId } from "@/lib/providers/types";
import { listProviderModels } from "@/lib/providers/validate";
import { cachedModels, rememberModels } from "./model-cache";
import { withProviderSlot } from "./provider-slots";
import { decryptCredential, findCredential } from "./queries";

export type ModelSuggestions = { models: string[]; source: "provider" | "catalog" };

/**
 * `beforeProviderCall` runs only when the provider must be asked (not on a cache hit): the caller's
 * rate limit. The call itself takes a provider-check slot.
 */
export async function suggestModels(
  db: Executor,
  owner: Owner,
  provider: ProviderId,
  beforeProviderCall: () => Promise<void> = async () => {},
): Promise<ModelSuggestions> {
  const catalog: ModelSuggestions = { models: getProvider(provider).suggestedModels, source: "catalog" };
  const stored = await findCredential(db, owner, provider);
  if (!stored) return catalog;
  const cached = cachedModels(stored.id, stored.version);
  if (cached) return { models: cached, source: "provider" };
  let secrets: Record<string, string>;
  try {
    secrets = decryptCredential(owner, stored);
  } catch (error) {
    if (isAppError(error)) return catalog;
    throw error;
  }
  await beforeProviderCall();
  const models = await withProviderSlot(() =>
    listProviderModels({ provider, apiHost: stored.apiHost, model: stored.model, secrets, extra: stored.extra }),
  );
  if (!models || models.length === 0) return catalog;
  const sorted = [...new Set(models)].sort((a, b) => a.localeCompare(b));
  rememberModels(stored.id, stored.version, sorted);
  return { models: sorted, source: "provider" };
}

/**
 * Suggestions for one credential the user may use (their own, an org one shared with them, or
 * their org's as owner or admin): what a profile's "Model Type" offers. Null when there is no such
 * credential, so the caller answers not found without telling which.
 */
export async function suggestModelsForCredential(
  db: Executor,
  userId: string,
  credentialId: string,
  beforeProviderCall?: () => Promise<void>,
): Promise<ModelSuggestions | null> {
  if (!isUuid(credentialId)) return null;
  const [row] = await db
    .select({
      provider: providerCredentials.provider,
      ownerUserId: providerCredentials.ownerUserId,
      ownerOrgId: providerCredentials.ownerOrgId,
    })
    .from(providerCredentials)
    .where(and(eq(providerCredentials.id, credentialId), usableBy(userId)));
  if (!row || !isProviderId(row.provider)) return null;
  const owner: Owner = row.ownerUserId ? { type: "user", id: row.ownerUserId } : { type: "org", id: row.ownerOrgId! };
  return suggestModels(db, owner, row.provider, beforeProviderCall);
}
