/**
 * Which credentials, tokens and members have a budget: a per-instance map, reloaded at most every
 * 5 s, so a gateway request with no budget costs no query. The map is kept on globalThis (Next
 * loads server code once per entry point; a budget saved by a server action must reach the
 * gateway route's copy). Staleness: a budget set or removed on another instance applies there
 * within 5 s; on the instance that saved it, at once (`invalidateBudgetRegistry`).
 */
import "server-only";
import type { PreparedQuery } from "@/db/client";

export const REGISTRY_TTL_MS = 5_000;

type State = {
  loadedAt: number;
  byCredential: Map<string, string>;
  byToken: Map<string, string>;
  /** `${orgId}:${userId}` → budget id */
  byMember: Map<string, string>;
  loading: Promise<State> | null;
  generation: number;
};

const holder = globalThis as typeof globalThis & Record<symbol, State | undefined>;
const KEY = Symbol.for("byok.budgets.registry");

function state(): State {
  return (holder[KEY] ??= {
    loadedAt: -Infinity,
    byCredential: new Map(),
    byToken: new Map(),
    byMember: new Map(),
    loading: null,
    generation: 0,
  });
}

const LOAD_SQL = `select id, scope, credential_id, token_id, org_id, user_id from budgets`;

async function reload(query: PreparedQuery, s: State): Promise<State> {
  const generation = s.generation;
  const rows = (await query(LOAD_SQL, [])) as {
    id: string;
    scope: string;
    credential_id: string | null;
    token_id: string | null;
    org_id: string | null;
    user_id: string | null;
  }[];
  const byCredential = new Map<string, string>();
  const byToken = new Map<string, string>();
  const byMember = new Map<string, string>();
  for (const row of rows) {
    if (row.scope === "credential" && row.credential_id) byCredential.set(row.credential_id, row.id);
    else if (row.scope === "token" && row.token_id) byToken.set(row.token_id, row.id);
    else if (row.scope === "member" && row.org_id && row.user_id) byMember.set(`${row.org_id}:${row.user_id}`, row.id);
  }
  Object.assign(s, { byCredential, byToken, byMember });
  // An invalidation while loading keeps the state stale: the next request loads again.
  if (generation === s.generation) s.loadedAt = Date.now();
  return s;
}

async function current(query: PreparedQuery): Promise<State> {
  const s = state();
  if (Date.now() - s.loadedAt < REGISTRY_TTL_MS) return s;
  s.loading ??= reload(query, s).finally(() => {
    s.loading = null;
  });
  return s.loading;
}

/** Forgets the map: the next gateway request on this instance reloads it (after a budget changed here). */
export function invalidateBudgetRegistry(): void {
  const s = state();
  s.loadedAt = -Infinity;
  s.generation++;
}

export type BudgetSubject = {
  tokenId: string;
  /** The token's user (personal tokens); null for org tokens. */
  userId: string | null;
  credentialId: string;
  /** The credential's organization; null for a personal credential. */
  credentialOrgId: string | null;
};

/**
 * The budgets that apply to a request: the token's, and for an org credential its own and the
 * member's (the token's user) in that org. Empty (no query once loaded) when none has a budget.
 */
export async function budgetsFor(query: PreparedQuery, subject: BudgetSubject): Promise<string[]> {
  const s = await current(query);
  const ids: string[] = [];
  const token = s.byToken.get(subject.tokenId);
  if (token) ids.push(token);
  if (subject.credentialOrgId) {
    const credential = s.byCredential.get(subject.credentialId);
    if (credential) ids.push(credential);
    const member = subject.userId ? s.byMember.get(`${subject.credentialOrgId}:${subject.userId}`) : undefined;
    if (member) ids.push(member);
  }
  return ids;
}
