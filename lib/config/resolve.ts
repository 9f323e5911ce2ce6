/**
 * Resolution for agents: an agent token → the model configuration it should use, in one query.
 * A personal token resolves its user's default (or, with `provider`, that provider's credential).
 * The answer carries the decrypted key: this is the only place a plaintext key leaves the server.
 */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { agentTokens, providerCredentials, userDefaults, users } from "@/db/schema";
import { decryptCredential } from "@/lib/credentials/queries";
import { AppError } from "@/lib/errors";
import type { Owner } from "@/lib/owners";
import { getProvider } from "@/lib/providers/catalog";
import type { ProviderId } from "@/lib/providers/types";
import { hashToken } from "@/lib/tokens/token-format";

export type AgentConfig = {
  provider: string;
  providerName: string;
  model: string;
  apiHost: string;
  apiKey: string | null;
  /** Non-secret provider fields, plus secret fields other than the API key (e.g. Bedrock's AWS keys). */
  extra: Record<string, string>;
  /** Model parameters the owner set ({} when none). */
  parameters: Record<string, unknown>;
  capabilities: { tools: "supported" | "unsupported" | "unknown" };
  source: { type: "user" | "org"; id: string; name: string };
  status: string;
  validatedAt: string | null;
};

export type ResolvedConfig = {
  config: AgentConfig;
  token: { id: string; lastUsedAt: Date | null };
};

const credentialColumns = {
  credentialId: providerCredentials.id,
  credentialOwnerUserId: providerCredentials.ownerUserId,
  credentialOwnerOrgId: providerCredentials.ownerOrgId,
  provider: providerCredentials.provider,
  model: providerCredentials.model,
  apiHost: providerCredentials.apiHost,
  extra: providerCredentials.extra,
  parameters: providerCredentials.parameters,
  capabilities: providerCredentials.capabilities,
  secretCiphertext: providerCredentials.secretCiphertext,
  wrappedDataKey: providerCredentials.wrappedDataKey,
  keyVersion: providerCredentials.keyVersion,
  status: providerCredentials.status,
  validatedAt: providerCredentials.validatedAt,
};

const tokenColumns = {
  tokenId: agentTokens.id,
  ownerUserId: agentTokens.ownerUserId,
  expiresAt: agentTokens.expiresAt,
  revokedAt: agentTokens.revokedAt,
  lastUsedAt: agentTokens.lastUsedAt,
  userName: users.name,
};

function buildStatements(db: Database) {
  return {
    byDefault: db
      .select({ ...tokenColumns, ...credentialColumns })
      .from(agentTokens)
      .leftJoin(users, eq(users.id, agentTokens.ownerUserId))
      .leftJoin(userDefaults, eq(userDefaults.userId, agentTokens.ownerUserId))
      .leftJoin(providerCredentials, eq(providerCredentials.id, userDefaults.credentialId))
      .where(eq(agentTokens.tokenHash, sql.placeholder("hash")))
      .limit(1)
      .prepare("byok_config_default"),
    byProvider: db
      .select({ ...tokenColumns, ...credentialColumns })
      .from(agentTokens)
      .leftJoin(users, eq(users.id, agentTokens.ownerUserId))
      .leftJoin(
        providerCredentials,
        and(eq(providerCredentials.ownerUserId, agentTokens.ownerUserId), eq(providerCredentials.provider, sql.placeholder("provider"))),
      )
      .where(eq(agentTokens.tokenHash, sql.placeholder("hash")))
      .limit(1)
      .prepare("byok_config_provider"),
  };
}

const statements = new WeakMap<Database, ReturnType<typeof buildStatements>>();

function prepared(db: Database) {
  let found = statements.get(db);
  if (!found) statements.set(db, (found = buildStatements(db)));
  return found;
}

const unauthorized = () => new AppError("unauthorized", "Missing, invalid, expired or revoked agent token.");

/**
 * Resolves a well-formed agent token. Throws AppError: unauthorized (one answer for unknown,
 * revoked and expired), no_default_model, provider_not_configured, decryption_failed.
 */
export async function resolveAgentConfig(db: Database, token: string, provider?: ProviderId): Promise<ResolvedConfig> {
  const hash = hashToken(token);
  const statement = prepared(db);
  const [row] = provider ? await statement.byProvider.execute({ hash, provider }) : await statement.byDefault.execute({ hash });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now()) || !row.ownerUserId) throw unauthorized();
  const tokenInfo = { id: row.tokenId, lastUsedAt: row.lastUsedAt };

  if (!row.credentialId || !row.provider || !row.secretCiphertext || !row.wrappedDataKey || !row.keyVersion) {
    if (provider) {
      throw new AppError("provider_not_configured", `No ${getProvider(provider)?.name ?? provider} credential is configured for this token's owner.`);
    }
    throw new AppError("no_default_model", "No default model is set. Choose one with “Set as Default” on the Models page.");
  }

  const owner: Owner = row.credentialOwnerOrgId
    ? { type: "org", id: row.credentialOwnerOrgId }
    : { type: "user", id: row.credentialOwnerUserId! };
  const secrets = decryptCredential(owner, {
    id: row.credentialId,
    provider: row.provider,
    secretCiphertext: row.secretCiphertext,
    wrappedDataKey: row.wrappedDataKey,
    keyVersion: row.keyVersion,
  });
  const definition = getProvider(row.provider);
  const { apiKey, ...otherSecrets } = secrets;
  return {
    token: tokenInfo,
    config: {
      provider: row.provider,
      providerName: definition?.name ?? row.provider,
      model: row.model!,
      apiHost: row.apiHost!,
      apiKey: apiKey ?? null,
      extra: { ...row.extra, ...otherSecrets },
      parameters: row.parameters ?? {},
      capabilities: { tools: row.capabilities?.tools ?? "unknown" },
      source: { type: "user", id: row.ownerUserId, name: row.userName ?? "" },
      status: row.status!,
      validatedAt: row.validatedAt ? row.validatedAt.toISOString() : null,
    },
  };
}

/** Records a token's use at most once a minute (callers run it after the response). */
export async function touchToken(db: Database, tokenId: string): Promise<void> {
  await db
    .update(agentTokens)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(agentTokens.id, tokenId),
        sql`(${agentTokens.lastUsedAt} is null or ${agentTokens.lastUsedAt} < now() - interval '60 seconds')`,
      ),
    );
}
