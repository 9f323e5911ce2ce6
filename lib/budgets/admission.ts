/**
 * Budget admission on the gateway path, atomic across instances (the counters live in PostgreSQL).
 *
 * `admitRequest`: the budgets that apply (./registry.ts; none → no query), then ONE statement that
 * locks their counter rows for the current UTC month (in id order, so concurrent admissions never
 * deadlock), and increments `requests` on all of them only if every one is under its request
 * limit and under its token limit. Under READ COMMITTED, FOR UPDATE returns the latest committed
 * row after waiting, so N concurrent admissions against a limit L admit exactly L, from any
 * number of instances. Counter rows are created once per budget and month per instance before that
 * (`insert … on conflict do nothing`).
 *
 * Tokens are known only once the answer is read: `noteBudgetTokens` adds them in batches (every
 * 200 ms). So tokens can pass a token limit by at most the tokens of the requests already in
 * flight when it was reached; requests never pass the request limit.
 */
import "server-only";
import type { PreparedQuery } from "@/db/client";
import { createBatcher } from "@/lib/batcher";
import { AppError } from "@/lib/errors";
import { monthOf, secondsToNextMonth } from "./month";
import { checkThresholds, type CounterRow } from "./notify";
import { budgetsFor, type BudgetSubject } from "./registry";

/** An admitted request's budgets, to add its tokens to. */
export type Admission = { budgetIds: string[]; month: string };

const ENSURE_SQL = `
insert into budget_counters (budget_id, month)
select b.id, $2::date from budgets b where b.id = any($1::uuid[])
on conflict do nothing`;

const ADMIT_SQL = `
with locked as (
  select c.budget_id, c.requests, c.tokens, b.scope, b.request_limit, b.token_limit
  from budget_counters c
  join budgets b on b.id = c.budget_id
  where c.budget_id = any($1::uuid[]) and c.month = $2::date
  order by c.budget_id
  for update of c
), verdict as (
  select coalesce(bool_and((request_limit is null or requests < request_limit)
    and (token_limit is null or tokens < token_limit)), true) as admit
  from locked
), bumped as (
  update budget_counters c set requests = c.requests + 1
  from locked l, verdict v
  where v.admit and c.budget_id = l.budget_id and c.month = $2::date
  returning c.budget_id, c.requests
)
select l.budget_id, coalesce(u.requests, l.requests) as requests, l.tokens, l.scope, l.request_limit, l.token_limit,
  v.admit
from locked l cross join verdict v left join bumped u on u.budget_id = l.budget_id`;

type AdmitRow = {
  budget_id: string;
  requests: number | string;
  tokens: number | string;
  scope: string;
  request_limit: number | string | null;
  token_limit: number | string | null;
  admit: boolean;
};

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

const ensured = new Set<string>();

/** A uuid[] parameter as an array literal: the same text for postgres.js and PGlite. */
const uuidArray = (ids: readonly string[]) => `{${ids.join(",")}}`;

const WHOSE: Record<string, string> = {
  credential: "this credential's",
  member: "your",
  token: "this token's",
};

function refusal(row: CounterRow & { scope: string }): AppError {
  const unit = row.requestLimit !== null && row.requests >= row.requestLimit ? "request" : "token";
  const limit = unit === "request" ? row.requestLimit : row.tokenLimit;
  return new AppError(
    "budget_exceeded",
    `The monthly ${unit} limit of ${WHOSE[row.scope] ?? "a"} budget (${limit}) is reached. It resets when the month turns (UTC) or when the limit is raised.`,
    { retryAfter: secondsToNextMonth() },
  );
}

/**
 * Admits one gateway request against its budgets, or throws AppError budget_exceeded (429, with
 * Retry-After = seconds to the next UTC month). Null when no budget applies.
 */
export async function admitRequest(query: PreparedQuery, subject: BudgetSubject): Promise<Admission | null> {
  const budgetIds = await budgetsFor(query, subject);
  if (budgetIds.length === 0) return null;
  const month = monthOf();
  const missing = budgetIds.filter((id) => !ensured.has(`${id}:${month}`));
  if (missing.length > 0) {
    await query(ENSURE_SQL, [uuidArray(missing), month]);
    for (const id of missing) ensured.add(`${id}:${month}`);
  }
  const rows = ((await query(ADMIT_SQL, [uuidArray(budgetIds), month])) as AdmitRow[]).map((r) => ({
    budgetId: r.budget_id,
    month,
    scope: r.scope,
    requests: Number(r.requests),
    tokens: Number(r.tokens),
    requestLimit: num(r.request_limit),
    tokenLimit: num(r.token_limit),
    admit: r.admit,
  }));
  if (rows.length > 0 && !rows[0]!.admit) {
    const over = rows.find(
      (r) => (r.requestLimit !== null && r.requests >= r.requestLimit) || (r.tokenLimit !== null && r.tokens >= r.tokenLimit),
    );
    throw refusal(over ?? rows[0]!);
  }
  checkThresholds(query, rows);
  return { budgetIds: rows.map((r) => r.budgetId), month };
}

type TokenItem = { budgetId: string; month: string; tokens: number };

const TOKENS_SQL = `
update budget_counters c set tokens = c.tokens + v.tokens
from jsonb_to_recordset($1::jsonb) as v(budget_id uuid, month date, tokens bigint), budgets b
where c.budget_id = v.budget_id and c.month = v.month and b.id = c.budget_id
returning c.budget_id, to_char(c.month, 'YYYY-MM-DD') as month, c.requests, c.tokens, b.request_limit, b.token_limit`;

type TokenRow = {
  budget_id: string;
  month: string;
  requests: number | string;
  tokens: number | string;
  request_limit: number | string | null;
  token_limit: number | string | null;
};

let tokenQuery: PreparedQuery | null = null;

const tokenBatch = createBatcher<TokenItem>({
  name: "budget tokens",
  everyMs: 200,
  maxItems: 10_000,
  key: (item) => `${item.budgetId}:${item.month}`,
  merge: (queued, next) => ({ ...queued, tokens: queued.tokens + next.tokens }),
  write: async (items) => {
    const query = tokenQuery;
    if (!query) return;
    const rows = (await query(TOKENS_SQL, [
      JSON.stringify(items.map((i) => ({ budget_id: i.budgetId, month: i.month, tokens: i.tokens }))),
    ])) as TokenRow[];
    checkThresholds(
      query,
      rows.map((r) => ({
        budgetId: r.budget_id,
        month: r.month,
        requests: Number(r.requests),
        tokens: Number(r.tokens),
        requestLimit: num(r.request_limit),
        tokenLimit: num(r.token_limit),
      })),
    );
  },
});

/** Adds an answered request's tokens to its budgets' counters (batched, every 200 ms). */
export function noteBudgetTokens(query: PreparedQuery, admission: Admission | null | undefined, tokens: number): void {
  if (!admission || !(tokens > 0)) return;
  tokenQuery = query;
  for (const budgetId of admission.budgetIds) tokenBatch.add({ budgetId, month: admission.month, tokens });
}

/** Writes queued token counts now (tests, shutdown). */
export function flushBudgetTokens(): Promise<void> {
  return tokenBatch.flush();
}
