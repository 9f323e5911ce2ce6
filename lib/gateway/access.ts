/**
 * Gateway access: an agent token and a credential id → in one query, the token and the
 * credential, and whether the token may use it now (the one rule, lib/credentials/access.ts).
 * The secrets are decrypted only after that check passes. Works in either delivery mode.
 */
import "server-only";
import type { PreparedQuery } from "@/db/client";
import { tokenMayUseSql } from "@/lib/credentials/access";
import { decryptCredential } from "@/lib/credentials/queries";
import { AppError } from "@/lib/errors";
import { isProviderId } from "@/lib/providers/types";
import type { GatewayCredential } from "./types";

export type GatewayToken = { id: string; lastUsedAt: Date | null; ownerUserId: string | null; ownerOrgId: string | null };

export type GatewayAccess = {
  token: GatewayToken;
  credential: GatewayCredential & { ownerOrgId: string | null; delivery: "key" | "gateway" };
};

type Row = {
  token_id: string;
  owner_user_id: string | null;
  owner_org_id: string | null;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  credential_id: string | null;
  cred_user_id: string | null;
  cred_org_id: string | null;
  provider: string | null;
  api_host: string | null;
  extra: Record<string, string> | null;
  delivery: "key" | "gateway" | null;
  secret_ciphertext: string | null;
  wrapped_data_key: string | null;
  key_version: string | null;
  usable: boolean | null;
};

/** $1 = token hash, $2 = credential id (a uuid, checked by the caller). */
const ACCESS_SQL = `
select t.id as token_id, t.owner_user_id, t.owner_org_id, t.expires_at, t.revoked_at, t.last_used_at,
  c.id as credential_id, c.owner_user_id as cred_user_id, c.owner_org_id as cred_org_id, c.provider,
  c.api_host, c.extra, c.delivery, c.secret_ciphertext, c.wrapped_data_key, c.key_version,
  (c.id is not null and ${tokenMayUseSql("c", "t")}) as usable
from agent_tokens t
left join provider_credentials c on c.id = $2::uuid
where t.token_hash = $1
limit 1`;

const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

export const gatewayUnauthorized = () => new AppError("unauthorized", "Missing, invalid, expired or revoked agent token.");

/**
 * The token and the opened credential. Throws AppError: unauthorized (unknown, revoked or expired
 * token), not_found (no such credential), forbidden (it exists, but this token may not use it now),
 * decryption_failed.
 */
export async function gatewayAccess(query: PreparedQuery, tokenHash: string, credentialId: string): Promise<GatewayAccess> {
  const [row] = (await query(ACCESS_SQL, [tokenHash, credentialId])) as Row[];
  const expiresAt = row ? asDate(row.expires_at) : null;
  if (!row || row.revoked_at || (expiresAt && expiresAt.getTime() <= Date.now()) || !(row.owner_user_id || row.owner_org_id)) {
    throw gatewayUnauthorized();
  }
  const tokenInfo: GatewayToken = {
    id: row.token_id,
    lastUsedAt: asDate(row.last_used_at),
    ownerUserId: row.owner_user_id,
    ownerOrgId: row.owner_org_id,
  };
  if (!row.credential_id) throw Object.assign(new AppError("not_found", "No such credential."), { token: tokenInfo });
  if (!row.usable) throw Object.assign(new AppError("forbidden", "This agent token may not use this credential."), { token: tokenInfo });
  if (!row.provider || !isProviderId(row.provider) || !row.secret_ciphertext || !row.wrapped_data_key || !row.key_version) {
    throw new AppError("not_found", "No such credential.");
  }
  const owner = row.cred_org_id ? ({ type: "org", id: row.cred_org_id } as const) : ({ type: "user", id: row.cred_user_id! } as const);
  const secrets = decryptCredential(owner, {
    id: row.credential_id,
    provider: row.provider,
    secretCiphertext: row.secret_ciphertext,
    wrappedDataKey: row.wrapped_data_key,
    keyVersion: row.key_version,
  });
  return {
    token: tokenInfo,
    credential: {
      id: row.credential_id,
      provider: row.provider,
      apiHost: row.api_host ?? "",
      extra: row.extra ?? {},
      secrets,
      ownerOrgId: row.cred_org_id,
      delivery: row.delivery ?? "key",
    },
  };
}
