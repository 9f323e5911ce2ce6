/**
 * The usage pages' data, read from the usage_daily rollup only (never from gateway_usage): one
 * grouping-sets query gives the per-day totals, the per-day series by credential, model and member,
 * and the member × credential × model table; a few small lookups name what the ids point at.
 */
import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { agentTokens, credentialPrices, organizations, providerCredentials, usageDaily, users } from "@/db/schema";
import { getProvider } from "@/lib/providers/catalog";
import { eachDay, type UsageRange } from "./range";
import type { DailyTotals, SeriesKey, Stack, UsageData, UsageTableRow } from "./types";

/** Whose usage: a user's own (their tokens, wherever they were used) or an organization's. */
export type UsageScope = { userId: string } | { orgId: string };

/** Series per chart before the rest is summed into "Other". */
export const MAX_SERIES = 8;

type Grouped = {
  g: number;
  day: string | null;
  credential_id: string | null;
  model: string | null;
  user_id: string | null;
  org_token_id: string | null;
  provider: string;
  requests: number | string;
  errors: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
};

// grouping(day, credential_id, model, user_id): a bit set per column left out of the set.
const BY_DAY_CREDENTIAL = 0b0011;
const BY_DAY_MODEL = 0b0101;
const BY_DAY_MEMBER = 0b0110;
const TABLE = 0b1000;

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function groupedRows(tx: Executor, scope: UsageScope, range: UsageRange): Promise<Grouped[]> {
  const owner = "orgId" in scope ? sql`org_id = ${scope.orgId}` : sql`user_id = ${scope.userId}`;
  // provider is a grouping key (it follows from credential_id), never max(provider): a text max
  // compares with the collation on every row and tripled the query's time. Sums fit in int8. The
  // daily totals are the sums of the (day, credential) set, so they need no set of their own.
  const result = await tx.execute(sql`
    select grouping(day, credential_id, model, user_id) as g, day::text as day, credential_id, provider, model, user_id, org_token_id,
      sum(requests)::int8 as requests, sum(errors)::int8 as errors,
      sum(input_tokens)::int8 as input_tokens, sum(output_tokens)::int8 as output_tokens
    from (
      select day, credential_id, provider, model, user_id, case when user_id is null then token_id end as org_token_id,
        requests, errors, input_tokens, output_tokens
      from usage_daily
      where ${owner} and day between ${range.from}::date and ${range.to}::date
    ) u
    group by grouping sets ((day, credential_id, provider), (day, model), (day, user_id, org_token_id),
      (credential_id, provider, model, user_id, org_token_id))`);
  return rowsOf<Grouped>(result);
}

type Names = {
  credential: (id: string, provider: string) => string;
  member: (userId: string | null, orgTokenId: string | null) => string;
  price: (credentialId: string, model: string) => { input: number; output: number } | undefined;
};

async function loadNames(db: Executor, scope: UsageScope, rows: Grouped[]): Promise<Names> {
  const credentialIds = [...new Set(rows.flatMap((r) => (r.credential_id ? [r.credential_id] : [])))];
  const userIds = [...new Set(rows.flatMap((r) => (r.user_id ? [r.user_id] : [])))];
  const tokenIds = [...new Set(rows.flatMap((r) => (r.org_token_id ? [r.org_token_id] : [])))];
  const [credentials, people, tokens, prices] = await Promise.all([
    credentialIds.length
      ? db
          .select({ id: providerCredentials.id, provider: providerCredentials.provider, orgName: organizations.name })
          .from(providerCredentials)
          .leftJoin(organizations, eq(organizations.id, providerCredentials.ownerOrgId))
          .where(inArray(providerCredentials.id, credentialIds))
      : [],
    userIds.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds)) : [],
    tokenIds.length
      ? db.select({ id: agentTokens.id, name: agentTokens.name }).from(agentTokens).where(inArray(agentTokens.id, tokenIds))
      : [],
    credentialIds.length
      ? db
          .select({
            credentialId: credentialPrices.credentialId,
            model: credentialPrices.model,
            input: credentialPrices.inputPerMillion,
            output: credentialPrices.outputPerMillion,
          })
          .from(credentialPrices)
          .where(inArray(credentialPrices.credentialId, credentialIds))
      : [],
  ]);
  const credentialById = new Map(credentials.map((c) => [c.id, c]));
  const personById = new Map(people.map((p) => [p.id, p.name?.trim() || p.email]));
  const tokenById = new Map(tokens.map((t) => [t.id, t.name]));
  const priceByKey = new Map(
    prices.map((p) => [`${p.credentialId}\u0000${p.model}`, { input: Number(p.input), output: Number(p.output) }]),
  );
  const personal = "userId" in scope;
  return {
    credential: (id, provider) => {
      const found = credentialById.get(id);
      const name = getProvider(found?.provider ?? provider)?.name ?? provider;
      if (!found) return `${name} (removed)`;
      // On /usage a user may have used their own credential and an organization's of the same provider.
      if (personal) return found.orgName ? `${name} · ${found.orgName}` : `${name} (personal)`;
      return name;
    },
    member: (userId, orgTokenId) => {
      if (userId) return personById.get(userId) ?? "Former member";
      const token = orgTokenId ? tokenById.get(orgTokenId) : undefined;
      return token === undefined ? "Org token (deleted)" : `Org token “${token}”`;
    },
    price: (credentialId, model) => priceByKey.get(`${credentialId}\u0000${model}`),
  };
}

const num = (value: number | string | null | undefined) => Number(value ?? 0);

function costOf(price: { input: number; output: number } | undefined, input: number, output: number): number | null {
  if (!price) return null;
  return (input / 1e6) * price.input + (output / 1e6) * price.output;
}

/** A stacked chart: the MAX_SERIES busiest keys by requests, the rest summed into "Other". */
function buildStack(days: string[], rows: Grouped[], keyOf: (r: Grouped) => string, labelOf: (r: Grouped) => string): Stack {
  const totals = new Map<string, { label: string; requests: number }>();
  for (const r of rows) {
    const key = keyOf(r);
    const entry = totals.get(key) ?? { label: labelOf(r), requests: 0 };
    entry.requests += num(r.requests);
    totals.set(key, entry);
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1].requests - a[1].requests || a[1].label.localeCompare(b[1].label));
  const shown = ranked.slice(0, ranked.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES);
  const idOf = new Map(shown.map(([key], i) => [key, `s${i}`]));
  const keys: SeriesKey[] = shown.map(([, entry], i) => ({ id: `s${i}`, label: entry.label }));
  if (ranked.length > shown.length) keys.push({ id: "other", label: "Other" });
  const blank = () => Object.fromEntries(keys.map((k) => [k.id, 0])) as Record<string, number>;
  const requests = new Map(days.map((day) => [day, blank()]));
  const tokens = new Map(days.map((day) => [day, blank()]));
  for (const r of rows) {
    const id = idOf.get(keyOf(r)) ?? "other";
    const req = requests.get(r.day!);
    const tok = tokens.get(r.day!);
    if (!req || !tok) continue;
    req[id] = (req[id] ?? 0) + num(r.requests);
    tok[id] = (tok[id] ?? 0) + num(r.input_tokens) + num(r.output_tokens);
  }
  return {
    keys,
    requests: days.map((day) => ({ day, ...requests.get(day)! })),
    tokens: days.map((day) => ({ day, ...tokens.get(day)! })),
  };
}

const memberKey = (r: Grouped) => (r.user_id ? `u:${r.user_id}` : `t:${r.org_token_id ?? ""}`);

/**
 * Usage of `scope` over `range` (UTC days, inclusive): daily totals, stacked series (by member only
 * for an organization) and the table, sorted by requests. Callers check access first.
 */
export async function loadUsage(db: Database, scope: UsageScope, range: UsageRange): Promise<UsageData> {
  // A larger work_mem keeps the grouping sets' hash aggregation in memory on PostgreSQL.
  const grouped = await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '16MB'`);
    return groupedRows(tx, scope, range);
  });
  const names = await loadNames(db, scope, grouped);
  const days = eachDay(range.from, range.to);
  const of = (g: number) => grouped.filter((r) => Number(r.g) === g);

  const byDay = new Map(days.map((day) => [day, { requests: 0, errors: 0, tokens: 0 }]));
  for (const r of of(BY_DAY_CREDENTIAL)) {
    const total = byDay.get(r.day!);
    if (!total) continue;
    total.requests += num(r.requests);
    total.errors += num(r.errors);
    total.tokens += num(r.input_tokens) + num(r.output_tokens);
  }
  const daily: DailyTotals[] = days.map((day) => {
    const { requests, errors, tokens } = byDay.get(day)!;
    return { day, requests, errors, tokens, errorRate: requests ? errors / requests : 0 };
  });

  const stacks: UsageData["stacks"] = {
    credential: buildStack(
      days,
      of(BY_DAY_CREDENTIAL),
      (r) => r.credential_id!,
      (r) => names.credential(r.credential_id!, r.provider),
    ),
    model: buildStack(
      days,
      of(BY_DAY_MODEL),
      (r) => r.model ?? "",
      (r) => r.model || "(no model)",
    ),
  };
  if ("orgId" in scope) {
    stacks.member = buildStack(days, of(BY_DAY_MEMBER), memberKey, (r) => names.member(r.user_id, r.org_token_id));
  }

  const rows: UsageTableRow[] = of(TABLE)
    .map((r) => {
      const inputTokens = num(r.input_tokens);
      const outputTokens = num(r.output_tokens);
      return {
        member: names.member(r.user_id, r.org_token_id),
        credential: names.credential(r.credential_id!, r.provider),
        model: r.model ?? "",
        requests: num(r.requests),
        inputTokens,
        outputTokens,
        errors: num(r.errors),
        cost: costOf(names.price(r.credential_id!, r.model ?? ""), inputTokens, outputTokens),
      };
    })
    .sort(
      (a, b) =>
        b.requests - a.requests ||
        a.member.localeCompare(b.member) ||
        a.credential.localeCompare(b.credential) ||
        a.model.localeCompare(b.model),
    );

  const priced = rows.filter((r) => r.cost !== null);
  const totals = {
    requests: daily.reduce((s, d) => s + d.requests, 0),
    errors: daily.reduce((s, d) => s + d.errors, 0),
    inputTokens: rows.reduce((s, r) => s + r.inputTokens, 0),
    outputTokens: rows.reduce((s, r) => s + r.outputTokens, 0),
    cost: priced.length ? priced.reduce((s, r) => s + r.cost!, 0) : null,
  };
  return { from: range.from, to: range.to, totals, daily, stacks, rows };
}

/** Whether `scope` has any usage at all (the empty state, independent of the range). */
export async function hasAnyUsage(db: Executor, scope: UsageScope): Promise<boolean> {
  const owner = "orgId" in scope ? eq(usageDaily.orgId, scope.orgId) : eq(usageDaily.userId, scope.userId);
  const [row] = await db.select({ day: usageDaily.day }).from(usageDaily).where(owner).limit(1);
  return row !== undefined;
}
