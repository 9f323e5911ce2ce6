/**
 * Profile resolution for agents: an agent token and a profile name → the profile's entries in
 * order, each with its credential and whether this token may use it now. One query.
 *
 * Which profile: for a personal token, the user's own profile of that name, else the one of the
 * org the token falls back to (its scope org, or the user's only org), as defaults resolve. For an
 * org token, its org's. An entry is usable when the token may use its credential now (the one
 * access rule, lib/credentials/access.ts) and the credential is not Invalid.
 */
import "server-only";
import type { PreparedQuery } from "@/db/client";
import {
  configFor,
  withJsonBytes,
  sourceOf,
  scopeOrgSql,
  UnresolvedConfig,
  type AgentConfig,
  type OriginOf,
  type CredentialRow,
  type ResolvedConfig,
  usableToken,
} from "@/lib/config/resolve";
import { tokenMayUseSql } from "@/lib/credentials/access";
import { decryptCredential } from "@/lib/credentials/queries";
import { AppError } from "@/lib/errors";
import type { GatewayAccess } from "@/lib/gateway/access";
import type { Owner } from "@/lib/owners";
import { isProviderId } from "@/lib/providers/types";
import { hashToken } from "@/lib/tokens/token-format";

/** A profile answer: the first usable entry, and the rest of the usable ones in order. */
export type ProfileConfig = AgentConfig & { profile: string; fallbacks: AgentConfig[] };

export type ProfileEntryRow = CredentialRow & { position: number; usable: boolean };

export type ProfileCandidates = {
  token: ResolvedConfig["token"];
  profile: { id: string; name: string; ownerType: "user" | "org" };
  /** Usable entries only, in profile order. */
  entries: ProfileEntryRow[];
};

type Row = {
  token_id: string;
  owner_user_id: string | null;
  owner_org_id: string | null;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  profile_id: string | null;
  profile_user_id: string | null;
  position: number | null;
  entry_parameters: Record<string, unknown> | null;
  credential_id: string | null;
  cred_user_id: string | null;
  cred_org_id: string | null;
  cred_owner_name: string | null;
  provider: string | null;
  model: string | null;
  credential_model: string | null;
  api_host: string | null;
  delivery: "key" | "gateway" | null;
  extra: Record<string, string> | null;
  parameters: Record<string, unknown> | null;
  capabilities: { tools?: "supported" | "unsupported" | "unknown" } | null;
  secret_ciphertext: string | null;
  wrapped_data_key: string | null;
  key_version: string | null;
  status: string | null;
  validated_at: Date | string | null;
  usable: boolean | null;
};

/** $1 = token hash, $2 = profile name. One row per entry (one row with null entry columns when there is none). */
const PROFILE_SQL = /* sql */ `
select t.id as token_id, t.owner_user_id, t.owner_org_id, t.expires_at, t.revoked_at, t.last_used_at,
  pr.id as profile_id, pr.owner_user_id as profile_user_id, e.position, e.parameters as entry_parameters,
  c.id as credential_id, c.owner_user_id as cred_user_id, c.owner_org_id as cred_org_id,
  coalesce(cu.name, co.name) as cred_owner_name, c.provider, e.model, c.model as credential_model, c.api_host,
  c.delivery, c.extra, c.parameters, c.capabilities, c.secret_ciphertext, c.wrapped_data_key, c.key_version,
  c.status, c.validated_at,
  (c.id is not null and c.status <> 'invalid' and ${tokenMayUseSql("c", "t")}) as usable
from agent_tokens t
left join lateral (
  select p.id, p.owner_user_id from model_profiles p
  where p.name = $2::text and (
    (t.owner_user_id is not null and p.owner_user_id = t.owner_user_id)
    or (t.owner_org_id is not null and p.owner_org_id = t.owner_org_id)
    or (t.owner_user_id is not null and p.owner_org_id = ${scopeOrgSql("t")}))
  order by p.owner_user_id is not null desc
  limit 1
) pr on true
left join model_profile_entries e on e.profile_id = pr.id
left join provider_credentials c on c.id = e.credential_id
left join users cu on cu.id = c.owner_user_id
left join organizations co on co.id = c.owner_org_id
where t.token_hash = $1
order by e.position nulls last`;

const unauthorized = () => new AppError("unauthorized", "Missing, invalid, expired or revoked agent token.");

/**
 * The token and the usable entries of the profile it resolves `name` to. Throws AppError
 * unauthorized, or UnresolvedConfig profile_not_found / no_usable_model (the token's use counts).
 */
export async function profileCandidates(query: PreparedQuery, tokenHash: string, name: string): Promise<ProfileCandidates> {
  const rows = (await query(PROFILE_SQL, [tokenHash, name])) as Row[];
  const first = rows[0];
  const tokenInfo = usableToken(first);
  if (!first || !tokenInfo) throw unauthorized();
  if (!first.profile_id) {
    throw new UnresolvedConfig(
      "profile_not_found",
      `No profile named “${name}” is available to this token. Create it on the Profiles page (Agent → Profiles).`,
      tokenInfo,
    );
  }
  const entries: ProfileEntryRow[] = [];
  for (const row of rows) {
    if (!row.usable || !row.credential_id || !row.provider || !row.secret_ciphertext || !row.wrapped_data_key || !row.key_version) continue;
    entries.push({
      credential_id: row.credential_id,
      cred_user_id: row.cred_user_id,
      cred_org_id: row.cred_org_id,
      cred_owner_name: row.cred_owner_name,
      via: "profile",
      provider: row.provider,
      model: row.model,
      api_host: row.api_host,
      delivery: row.delivery,
      extra: row.extra,
      // The entry's overrides win key by key over the credential's own parameters.
      parameters: { ...row.parameters, ...row.entry_parameters },
      // What a check learned applies to the credential's own model only.
      capabilities: row.model === row.credential_model ? row.capabilities : null,
      secret_ciphertext: row.secret_ciphertext,
      wrapped_data_key: row.wrapped_data_key,
      key_version: row.key_version,
      status: row.status,
      validated_at: row.validated_at,
      position: row.position ?? 0,
      usable: true,
    });
  }
  const profile = { id: first.profile_id, name, ownerType: first.profile_user_id ? ("user" as const) : ("org" as const) };
  if (entries.length === 0) {
    throw new UnresolvedConfig(
      "no_usable_model",
      `Profile “${name}” has no model this token may use: every entry is Invalid, removed or not shared with you. Fix it on the Profiles page.`,
      tokenInfo,
      { profile: name },
    );
  }
  return { token: tokenInfo, profile, entries };
}

/** `GET /api/v1/config?profile=<name>`: the first usable entry, with the rest as `fallbacks` (delivery rules apply to each). */
export async function resolveProfileConfig(
  query: PreparedQuery,
  token: string,
  name: string,
  options: { origin?: OriginOf; tokenHash?: string } = {},
): Promise<ResolvedConfig & { config(): ProfileConfig }> {
  const { token: tokenInfo, entries } = await profileCandidates(query, options.tokenHash ?? hashToken(token), name);
  const answer = (): ProfileConfig => {
    const [first, ...rest] = entries.map((entry) => configFor(entry, token, options.origin));
    return { ...first!, profile: name, fallbacks: rest };
  };
  const first = entries[0]!;
  return {
    token: tokenInfo,
    credentialId: first.credential_id,
    provider: first.provider,
    source: sourceOf(first),
    config: answer,
    json: (read) => withJsonBytes(answer(), read),
  };
}

/** A profile entry's credential as the gateway opens it: its secrets empty until `openProfileEntry`. */
export function entryCredential(entry: ProfileEntryRow): GatewayAccess["credential"] | null {
  if (!isProviderId(entry.provider)) return null;
  return {
    id: entry.credential_id,
    provider: entry.provider,
    apiHost: entry.api_host ?? "",
    extra: entry.extra ?? {},
    secrets: {},
    ownerOrgId: entry.cred_org_id,
    delivery: entry.delivery ?? "key",
  };
}

/**
 * The entry's credential with its secrets decrypted, for the profile gateway (which checked the
 * token's access in `profileCandidates`). Throws AppError decryption_failed; never log the result.
 */
export function openProfileEntry(entry: ProfileEntryRow, credential: GatewayAccess["credential"]): GatewayAccess["credential"] {
  const owner: Owner = entry.cred_org_id ? { type: "org", id: entry.cred_org_id } : { type: "user", id: entry.cred_user_id! };
  const secrets = decryptCredential(owner, {
    id: entry.credential_id,
    provider: entry.provider,
    secretCiphertext: entry.secret_ciphertext,
    wrappedDataKey: entry.wrapped_data_key,
    keyVersion: entry.key_version,
  });
  return { ...credential, secrets };
}
