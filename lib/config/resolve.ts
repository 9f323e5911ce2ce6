/**
 * Resolution for agents: an agent token → the model configuration it should use, in one query.
 *
 * - A personal token resolves its user's default (their own credential, or an org credential they
 *   may use); if they have none, the default of the organization the token is scoped to (or of
 *   their only one). An org token resolves its organization's default.
 * - `provider` asks for that provider's credential instead: the user's own first, then the scope
 *   org's (a scoped token never reaches other orgs); without a scope org, the one org of theirs
 *   that has one they may use — or 409 ambiguous_provider, naming the orgs, when several do. For
 *   an org token, the org's own.
 * Access is checked in the query on every request, so a removal or a narrowed share applies to the
 * very next request. Who may use a credential is lib/credentials/access.ts, embedded as text.
 *
 * Delivery: a credential in key mode answers with its decrypted key (the only place a key leaves
 * the server); in gateway mode the credential is not decrypted at all: the answer points at
 * BYOK's gateway, with the agent's own token as the key and no secret field in `extra`.
 */
import "server-only";
import type { PreparedQuery } from "@/db/client";
import { configuredOrigin } from "@/lib/app-url";
import type { AgentConfig as ContractAgentConfig } from "@/lib/config/contract";
import { createBatcher } from "@/lib/batcher";
import { tokenMayUseSql } from "@/lib/credentials/access";
import { decryptCredential } from "@/lib/credentials/queries";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Owner } from "@/lib/owners";
import { getProvider } from "@/lib/providers/catalog";
import type { ProviderId, ToolSupport } from "@/lib/providers/types";
import { hashToken } from "@/lib/tokens/token-format";
import { sealInMemory, withOpenedInMemory, type InMemorySealed } from "@/lib/crypto/in-memory-seal";

/** The answer's shape is the published contract (./contract.ts): typed from it, so the two cannot drift. */
export type AgentConfig = ContractAgentConfig;

/** Whose credential this is, and how it was chosen. */
export type ConfigSource = AgentConfig["source"];

/** "key": apiHost/apiKey are the provider's; "gateway": BYOK's gateway and the agent's own token. */
export type Delivery = AgentConfig["delivery"];

export type ResolvedConfig = {
  token: { id: string; lastUsedAt: Date | null; ownerUserId: string | null; ownerOrgId: string | null };
  credentialId: string;
  /** Non-secret parts of the answer, for the activity log. */
  provider: string;
  source: ConfigSource;
  /** The answer. Key mode decrypts the key on every call; each call builds an answer of its own. */
  config(): AgentConfig;
  /**
   * The answer as JSON (UTF-8), what `?format=json` sends, handed to `read` and zeroed once it
   * returns: `read` copies what it keeps (a Response does).
   */
  json<T>(read: (bytes: Uint8Array) => T): T;
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
  cred_owner_name: string | null;
  via: ConfigSource["via"] | null;
  /** `?provider=` without a scope org: comma-separated slugs of every org that could answer, when more than one can. */
  ambiguous_orgs: string | null;
  provider: string | null;
  model: string | null;
  api_host: string | null;
  delivery: Delivery | null;
  extra: Record<string, string> | null;
  parameters: Record<string, unknown> | null;
  capabilities: { tools?: ToolSupport } | null;
  secret_ciphertext: string | null;
  wrapped_data_key: string | null;
  key_version: string | null;
  status: string | null;
  validated_at: Date | string | null;
};

/**
 * Where BYOK is reached from the agent's side, for gateway-mode answers only: a string, or a function
 * called only when a gateway-mode answer is built (key-mode answers, the common case, never need it).
 */
export type OriginOf = string | (() => string);

export const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * The common case, kept cheap: a personal token whose user has a default of their own. $1 = token
 * hash. Returns the token, and the credential only when it is the user's own (which the access
 * rule always admits); any other default goes through RESOLVE_SQL and its access check.
 */
const FAST_SQL = `
select t.id as token_id, t.owner_user_id, t.owner_org_id, t.expires_at, t.revoked_at, t.last_used_at,
  c.id as credential_id, c.owner_user_id as cred_user_id, c.owner_org_id as cred_org_id,
  u.name as cred_owner_name, 'user_default' as via, c.provider, c.model, c.api_host, c.delivery, c.extra,
  c.parameters, c.capabilities, c.secret_ciphertext, c.wrapped_data_key, c.key_version, c.status, c.validated_at,
  null::text as ambiguous_orgs
from agent_tokens t
left join user_defaults d on d.user_id = t.owner_user_id
left join provider_credentials c on c.id = d.credential_id and c.owner_user_id = t.owner_user_id
left join users u on u.id = t.owner_user_id
where t.token_hash = $1
limit 1`;

/**
 * SQL text: the organization a personal token (row alias `t`) falls back to: its scope org while
 * the user is still a member of it, else the user's only org (none when they have several).
 */
export function scopeOrgSql(t: string): string {
  return `coalesce(
    (select m.org_id from memberships m where m.user_id = ${t}.owner_user_id and m.org_id = ${t}.scope_org_id),
    (select m.org_id from memberships m where m.user_id = ${t}.owner_user_id
       and (select count(*) from memberships m2 where m2.user_id = ${t}.owner_user_id) = 1))`;
}

/** Everything else (org defaults, shared credentials, ?provider=). $1 = token hash, $2 = provider id or null. */
const RESOLVE_SQL = /* sql */ `
select t.id as token_id, t.owner_user_id, t.owner_org_id, t.expires_at, t.revoked_at, t.last_used_at,
  p.id as credential_id, p.owner_user_id as cred_user_id, p.owner_org_id as cred_org_id,
  coalesce(pu.name, po.name) as cred_owner_name, p.via, p.provider, p.model, p.api_host, p.delivery, p.extra,
  p.parameters, p.capabilities, p.secret_ciphertext, p.wrapped_data_key, p.key_version, p.status, p.validated_at,
  case when p.prio = 3 and p.tied > 1 then p.tied_orgs end as ambiguous_orgs
from agent_tokens t
left join lateral (
  select c.*, x.via, x.prio,
    count(*) over (partition by x.prio) as tied,
    string_agg(o.slug, ',') over (partition by x.prio) as tied_orgs
  from (
    select d.credential_id as id, 'user_default' as via, 1 as prio from user_defaults d
      where $2::text is null and d.user_id = t.owner_user_id
    union all
    select od.credential_id, 'org_default', 2 from org_defaults od
      where $2::text is null and t.owner_user_id is not null and od.org_id = ${scopeOrgSql("t")}
    union all
    select od.credential_id, 'org_default', 1 from org_defaults od
      where $2::text is null and od.org_id = t.owner_org_id
    union all
    select c2.id, 'provider', case when c2.owner_user_id is not null or c2.owner_org_id = t.owner_org_id then 1
        when c2.owner_org_id = t.scope_org_id then 2 else 3 end
      from provider_credentials c2
      where $2::text is not null and c2.provider = $2::text
        and (c2.owner_user_id = t.owner_user_id or c2.owner_org_id = t.owner_org_id
          or (c2.owner_org_id in (select m.org_id from memberships m where m.user_id = t.owner_user_id)
            and (t.scope_org_id is null or c2.owner_org_id = t.scope_org_id)))
  ) x
  join provider_credentials c on c.id = x.id
  left join organizations o on o.id = c.owner_org_id
  where ${tokenMayUseSql("c", "t")}
  order by x.prio, c.created_at
  limit 1
) p on true
left join users pu on pu.id = p.owner_user_id
left join organizations po on po.id = p.owner_org_id
where t.token_hash = $1
limit 1`;

/** A known, valid token that resolves to nothing: 404s that still count as the token's use. */
export class UnresolvedConfig extends AppError {
  readonly token: ResolvedConfig["token"];
  constructor(
    code: "no_default_model" | "provider_not_configured" | "ambiguous_provider" | "profile_not_found" | "no_usable_model",
    message: string,
    token: ResolvedConfig["token"],
    details?: Record<string, unknown>,
  ) {
    super(code, message, { details });
    this.token = token;
  }
}

const unauthorized = () => new AppError("unauthorized", "Missing, invalid, expired or revoked agent token.");

type Rows = Record<string, unknown>[];

/**
 * What a row answers the same way every time, worked out once per row object. A resolution-cache
 * hit hands back the very same row objects, so a hit reuses this (no dates parsed, no objects
 * built); a row fresh from the database computes it once. Nothing secret is kept here.
 *
 * Kept on the row itself, under a symbol only this module knows (non-enumerable: not in JSON, not
 * compared by tests), rather than in a WeakMap: WeakMap entries are ephemerons, and with 100,000
 * cached tokens two of them per row doubled the time a full garbage collection spends marking.
 */
type TokenFacts = { live: boolean; expiresAtMs: number; info: ResolvedConfig["token"] };
/** The token columns every resolution query selects first. */
export type TokenRow = Pick<Row, "token_id" | "owner_user_id" | "owner_org_id" | "expires_at" | "revoked_at" | "last_used_at">;
const TOKEN_FACTS = Symbol("token facts");

/** Keeps `value` on `row` under `key` (once: rows never change, so neither do their facts). */
function remember<T>(row: object, key: symbol, value: T): T {
  Object.defineProperty(row, key, { value });
  return value;
}

function factsOf(row: TokenRow): TokenFacts {
  let facts = (row as { [TOKEN_FACTS]?: TokenFacts })[TOKEN_FACTS];
  if (facts === undefined) {
    const expiresAt = asDate(row.expires_at);
    facts = {
      live: !row.revoked_at && Boolean(row.owner_user_id || row.owner_org_id),
      expiresAtMs: expiresAt ? expiresAt.getTime() : Infinity,
      info: Object.freeze({
        id: row.token_id,
        lastUsedAt: asDate(row.last_used_at),
        ownerUserId: row.owner_user_id,
        ownerOrgId: row.owner_org_id,
      }),
    };
    remember(row, TOKEN_FACTS, facts);
  }
  return facts;
}

/**
 * The token a resolution row stands for, or null when there is none that may be used: unknown,
 * revoked, expired (checked on every hit: a cached row carries its expires_at) or ownerless.
 */
export function usableToken(row: TokenRow | undefined): ResolvedConfig["token"] | null {
  if (row === undefined) return null;
  const facts = factsOf(row);
  return facts.live && (facts.expiresAtMs === Infinity || facts.expiresAtMs > Date.now()) ? facts.info : null;
}

const usable = (r: Row | undefined): r is Row => usableToken(r) !== null;

/**
 * The row that answers, from the results at hand; "fast" or "full" names the query still needed.
 * Without a provider the cheap FAST_SQL comes first: unknown, revoked and expired tokens stop there
 * (no second query for them), and a user's own default needs nothing more.
 */
function pickRow(provider: ProviderId | undefined, fast: Rows | undefined, full: Rows | undefined): Row | "fast" | "full" {
  if (!provider) {
    if (!fast) return "fast";
    const row = fast[0] as Row | undefined;
    if (!usable(row)) throw unauthorized();
    if (row.credential_id) return row;
  }
  if (!full) return "full";
  const row = full[0] as Row | undefined;
  if (!usable(row)) throw unauthorized();
  return row;
}

/**
 * Resolves a well-formed agent token. Throws AppError: unauthorized (one answer for unknown,
 * revoked and expired), no_default_model, provider_not_configured, decryption_failed.
 *
 * When `query` can answer from memory (`peek`, the resolution cache) the answer is returned, or
 * thrown, synchronously: a hit costs no promise. Otherwise a promise; callers simply `await` it.
 */
export function resolveAgentConfig(
  query: PreparedQuery,
  token: string,
  provider?: ProviderId,
  options: { origin?: OriginOf; tokenHash?: string } = {},
): ResolvedConfig | Promise<ResolvedConfig> {
  const hash = options.tokenHash ?? hashToken(token);
  const fastParams = [hash];
  let fast = provider || !query.peek ? undefined : query.peek(FAST_SQL, fastParams);
  let full: Rows | undefined;
  let picked = pickRow(provider, fast, full);
  if (picked === "full" && query.peek) {
    full = query.peek(RESOLVE_SQL, [hash, provider ?? null]);
    picked = pickRow(provider, fast, full);
  }
  if (typeof picked !== "string") return answerFor(picked, token, provider, options.origin);
  return (async () => {
    while (typeof picked === "string") {
      if (picked === "fast") fast = await query(FAST_SQL, fastParams);
      else full = await query(RESOLVE_SQL, [hash, provider ?? null]);
      picked = pickRow(provider, fast, full);
    }
    return answerFor(picked, token, provider, options.origin);
  })();
}

function answerFor(row: Row, token: string, provider: ProviderId | undefined, origin: OriginOf | undefined): ResolvedConfig {
  const tokenInfo = factsOf(row).info;

  if (row.ambiguous_orgs && provider) {
    // Slugs are [a-z0-9-]: a comma cannot be part of one.
    const orgs = row.ambiguous_orgs.split(",").sort();
    const name = getProvider(provider)?.name ?? provider;
    throw new UnresolvedConfig(
      "ambiguous_provider",
      `Several of your organizations have a credential for ${name} you may use (${orgs.join(", ")}). Create a token whose Fallback organization is the one to use (Agent → Tokens).`,
      tokenInfo,
      { orgs },
    );
  }
  if (!hasCredential(row)) {
    if (provider) {
      const name = getProvider(provider)?.name ?? provider;
      throw new UnresolvedConfig("provider_not_configured", `No ${name} credential is available to this token.`, tokenInfo);
    }
    throw new UnresolvedConfig(
      "no_default_model",
      "No default model is set. Choose one with “Set as Default” on the Models page.",
      tokenInfo,
    );
  }
  return new RowResolution(tokenInfo, row, token, origin);
}

/** A resolution to one credential row; nothing is decrypted until the answer is asked for. */
class RowResolution implements ResolvedConfig {
  readonly credentialId: string;
  readonly provider: string;
  readonly source: ConfigSource;
  constructor(
    readonly token: ResolvedConfig["token"],
    private readonly row: CredentialRow,
    private readonly agentToken: string,
    private readonly origin: OriginOf | undefined,
  ) {
    this.credentialId = row.credential_id;
    this.provider = row.provider;
    this.source = sourceOf(row);
  }
  config(): AgentConfig {
    return configFor(this.row, this.agentToken, this.origin);
  }
  json<T>(read: (bytes: Uint8Array) => T): T {
    return configJson(this.row, this.agentToken, this.origin, read);
  }
}

const hasCredential = (row: Row): row is Row & CredentialRow =>
  Boolean(row.credential_id && row.provider && row.secret_ciphertext && row.wrapped_data_key && row.key_version);

/** A credential row as the resolution queries select it, with the model it answers for. */
export type CredentialRow = {
  credential_id: string;
  cred_user_id: string | null;
  cred_org_id: string | null;
  cred_owner_name: string | null;
  /** How it was chosen; null reads as "provider". */
  via: ConfigSource["via"] | null;
  provider: string;
  model: string | null;
  api_host: string | null;
  delivery: Delivery | null;
  extra: Record<string, string> | null;
  parameters: Record<string, unknown> | null;
  capabilities: { tools?: ToolSupport } | null;
  secret_ciphertext: string;
  wrapped_data_key: string;
  key_version: string;
  status: string | null;
  validated_at: Date | string | null;
};

/**
 * Everything in a credential's answer but its access (host, key, extra), worked out once per row
 * object (see factsOf): shared by every answer built from the row, so frozen. Nothing secret:
 * the key is decrypted from the row's ciphertext on every call.
 */
type CredentialFacts = {
  owner: Owner;
  delivery: Delivery;
  common: Omit<AgentConfig, "delivery" | "apiHost" | "apiKey" | "extra">;
  /** Gateway mode: the stored extras without any secret field (empty in key mode, unused there). */
  gatewayExtra: Record<string, string>;
  /**
   * Key mode: the JSON answer (the same for every request), sealed under this process's key the
   * first time it is asked for (lib/crypto/in-memory-seal.ts). Never plaintext; gone with the row.
   */
  keyAnswer?: InMemorySealed;
};
const CREDENTIAL_FACTS = Symbol("credential facts");
const NO_EXTRA: Record<string, string> = Object.freeze({});

function credentialFactsOf(row: CredentialRow): CredentialFacts {
  let facts = (row as { [CREDENTIAL_FACTS]?: CredentialFacts })[CREDENTIAL_FACTS];
  if (facts !== undefined) return facts;
  const owner: Owner = row.cred_org_id ? { type: "org", id: row.cred_org_id } : { type: "user", id: row.cred_user_id! };
  const definition = getProvider(row.provider);
  const delivery: Delivery = row.delivery === "gateway" ? "gateway" : "key";
  facts = {
    owner,
    delivery,
    common: {
      provider: row.provider,
      providerName: definition?.name ?? row.provider,
      model: row.model!,
      parameters: deepFreeze(row.parameters ?? {}),
      capabilities: Object.freeze({ tools: row.capabilities?.tools ?? "unknown" }),
      source: Object.freeze({ type: owner.type, id: owner.id, name: row.cred_owner_name ?? "", via: row.via ?? "provider" }),
      status: row.status!,
      validatedAt: asDate(row.validated_at)?.toISOString() ?? null,
    },
    gatewayExtra: delivery === "gateway" ? Object.freeze(nonSecretExtra(row.extra, definition)) : NO_EXTRA,
    keyAnswer: undefined,
  };
  return remember(row, CREDENTIAL_FACTS, facts);
}

/** Whose credential a row is, and how it was chosen (nothing decrypted). */
export const sourceOf = (row: CredentialRow): ConfigSource => credentialFactsOf(row).common.source;

/** Stored extras are non-secret by construction; the catalog's secret fields are dropped anyway, should one ever be there. */
function nonSecretExtra(extra: Record<string, string> | null, definition: ReturnType<typeof getProvider>): Record<string, string> {
  const secretNames = new Set(definition?.fields.filter((f) => f.secret).map((f) => f.name) ?? ["apiKey"]);
  return Object.fromEntries(Object.entries(extra ?? {}).filter(([name]) => !secretNames.has(name)));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The answer for one credential. Key mode decrypts it, on every call (the only place a key leaves
 * the server; no plaintext is kept); gateway mode never does: BYOK's gateway address and the
 * agent's own `token` instead.
 */
export function configFor(row: CredentialRow, token: string, origin?: OriginOf): AgentConfig {
  const facts = credentialFactsOf(row);
  const { common } = facts;
  if (facts.delivery === "gateway") {
    return {
      delivery: "gateway",
      provider: common.provider,
      providerName: common.providerName,
      model: common.model,
      apiHost: `${publicOrigin(origin)}/api/v1/gateway/${row.credential_id}`,
      apiKey: token,
      extra: { ...facts.gatewayExtra },
      parameters: common.parameters,
      capabilities: common.capabilities,
      source: common.source,
      status: common.status,
      validatedAt: common.validatedAt,
    };
  }
  const { apiKey, ...otherSecrets } = decryptCredential(facts.owner, {
    id: row.credential_id,
    provider: row.provider,
    secretCiphertext: row.secret_ciphertext,
    wrappedDataKey: row.wrapped_data_key,
    keyVersion: row.key_version,
  });
  return {
    delivery: "key",
    provider: common.provider,
    providerName: common.providerName,
    model: common.model,
    apiHost: row.api_host!,
    apiKey: apiKey ?? null,
    extra: { ...row.extra, ...otherSecrets },
    parameters: common.parameters,
    capabilities: common.capabilities,
    source: common.source,
    status: common.status,
    validatedAt: common.validatedAt,
  };
}

/**
 * The answer as JSON bytes, for the span of `read` (zeroed after). Key mode opens the row's sealed
 * answer (one AEAD pass, into a buffer the process reuses; the stored envelope is opened once per
 * row, when the answer is first sealed); gateway mode, whose answer carries the agent's own token
 * and origin, is built each time.
 */
export function configJson<T>(row: CredentialRow, token: string, origin: OriginOf | undefined, read: (bytes: Uint8Array) => T): T {
  const facts = credentialFactsOf(row);
  if (facts.delivery === "gateway") return withJsonBytes(configFor(row, token, origin), read);
  if (facts.keyAnswer === undefined) {
    const plaintext = Buffer.from(JSON.stringify(configFor(row, token, origin)), "utf8");
    facts.keyAnswer = sealInMemory(plaintext);
    plaintext.fill(0);
  }
  return withOpenedInMemory(facts.keyAnswer, read);
}

/** `answer` as JSON bytes for the span of `read`, zeroed after (an answer carries a key or a token). */
export function withJsonBytes<T>(answer: AgentConfig, read: (bytes: Uint8Array) => T): T {
  const bytes = Buffer.from(JSON.stringify(answer), "utf8");
  try {
    return read(bytes);
  } finally {
    bytes.fill(0);
  }
}

/** BYOK's origin as agents should reach it: APP_URL, else the request's own, else localhost. */
export function publicOrigin(origin?: OriginOf): string {
  return ((typeof origin === "function" ? origin() : origin) ?? configuredOrigin() ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

const LAST_USED_EVERY_MS = 60_000;

const TOUCH_SQL = `
update agent_tokens t set last_used_at = v.at
from jsonb_to_recordset($1::jsonb) as v(id uuid, at timestamptz)
where t.id = v.id and (t.last_used_at is null or t.last_used_at < v.at - interval '60 seconds')`;

type TokenTouch = { id: string; at: Date; query: PreparedQuery };

const touches = createBatcher<TokenTouch>({
  name: "token last-used",
  everyMs: 1_000,
  maxItems: 10_000,
  key: (touch) => touch.id,
  write: async (items) => {
    // One JSON text parameter (postgres.js array parameters misbehave in prepared statements under load).
    const rows = items.map(({ id, at }) => ({ id, at: at.toISOString() }));
    await items[0]!.query(TOUCH_SQL, [JSON.stringify(rows)]);
  },
});

/**
 * Notes that a token was used (config and gateway requests). Only tokens whose stored last use is
 * over a minute old are noted, and the notes go to the database in one UPDATE a second.
 */
export function noteTokenUse(query: PreparedQuery, token: Pick<ResolvedConfig["token"], "id" | "lastUsedAt">, now = Date.now()): void {
  if (token.lastUsedAt && now - token.lastUsedAt.getTime() < LAST_USED_EVERY_MS) return;
  // The row may come from the resolution cache, its last_used_at as old as the entry: remember our own notes.
  const noted = recentNotes.get(token.id);
  if (noted !== undefined && now - noted < LAST_USED_EVERY_MS) return;
  if (recentNotes.size >= RECENT_NOTES_MAX) recentNotes.clear();
  recentNotes.set(token.id, now);
  touches.add({ id: token.id, at: new Date(now), query });
}

/** Token id → when this instance last noted its use (bounded: cleared when full; a clear costs one extra note per token). */
const recentNotes = new Map<string, number>();
const RECENT_NOTES_MAX = 200_000;

/** Writes the noted uses now (the batcher does it every second; tests call it directly). */
export async function flushTokenUse(_query?: PreparedQuery): Promise<void> {
  await touches.flush();
}
