/**
 * The 80 % and 100 % alerts of a budget, once per month each: a conditional UPDATE of the
 * counter's `threshold_notified_at` / `exceeded_notified_at` (only where still null) decides
 * which caller — on whichever instance — fires; that one records the activity entry and emits the
 * alert (budget.threshold / budget.exceeded). Runs off the request path; never throws into it.
 */
import "server-only";
import { getDb, type PreparedQuery } from "@/db/client";
import { emitAlert } from "@/lib/alerts/emit";
import { recordEvent } from "@/lib/audit/events";
import { describeError, log } from "@/lib/log";
import { getProvider } from "@/lib/providers/catalog";

export type CounterRow = {
  budgetId: string;
  month: string;
  requests: number;
  tokens: number;
  requestLimit: number | null;
  tokenLimit: number | null;
};

type Level = "threshold" | "exceeded";
type Unit = "requests" | "tokens";

/** Budgets and months already notified by this instance (no query for them again). */
const fired = new Set<string>();
const pending = new Set<Promise<void>>();

/** The highest level reached by a counter and the unit that reached it. */
export function levelOf(row: CounterRow): { level: Level; unit: Unit; used: number; limit: number } | null {
  let best: { level: Level; unit: Unit; used: number; limit: number } | null = null;
  const units: [Unit, number, number | null][] = [
    ["requests", row.requests, row.requestLimit],
    ["tokens", row.tokens, row.tokenLimit],
  ];
  for (const [unit, used, limit] of units) {
    if (limit === null || limit <= 0) continue;
    const level: Level | null = used >= limit ? "exceeded" : used * 5 >= limit * 4 ? "threshold" : null;
    if (level && (!best || (best.level === "threshold" && level === "exceeded"))) best = { level, unit, used, limit };
  }
  return best;
}

/** Fires what `rows` newly reached (off the caller's path). */
export function checkThresholds(query: PreparedQuery, rows: readonly CounterRow[]): void {
  for (const row of rows) {
    const reached = levelOf(row);
    if (!reached) continue;
    const levels: Level[] = reached.level === "exceeded" ? ["threshold", "exceeded"] : ["threshold"];
    for (const level of levels) {
      const key = `${row.budgetId}:${row.month}:${level}:${row.requestLimit}/${row.tokenLimit}`;
      if (fired.has(key)) continue;
      const task = fire(query, row, level, reached.unit, reached.used, reached.limit)
        .then((won) => {
          if (won !== null) fired.add(key);
        })
        .catch((error: unknown) => log.warn("budget alert failed", { reason: describeError(error) }))
        .finally(() => pending.delete(task));
      pending.add(task);
    }
  }
}

/** Waits for alerts in progress (tests). */
export async function settleBudgetAlerts(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

const DESCRIBE_SQL = `
select b.scope, b.org_id, o.slug as org_slug, c.provider, c.model, u.name as user_name,
  t.name as token_name, t.owner_user_id as token_user_id
from budgets b
left join organizations o on o.id = b.org_id
left join provider_credentials c on c.id = b.credential_id
left join users u on u.id = b.user_id
left join agent_tokens t on t.id = b.token_id
where b.id = $1`;

type Described = {
  scope: string;
  org_id: string | null;
  org_slug: string | null;
  provider: string | null;
  model: string | null;
  user_name: string | null;
  token_name: string | null;
  token_user_id: string | null;
};

/** "OpenAI (gpt-4o)", "Ada Lovelace", "token “ci”". */
export function budgetTarget(d: Pick<Described, "scope" | "provider" | "model" | "user_name" | "token_name">): string {
  if (d.scope === "credential") {
    const name = d.provider ? (getProvider(d.provider)?.name ?? d.provider) : "a credential";
    return d.model ? `${name} (${d.model})` : name;
  }
  if (d.scope === "member") return d.user_name ?? "a member";
  return `token “${d.token_name ?? "?"}”`;
}

/** true when this call won the notification; null when another did (or the budget is gone). */
async function fire(query: PreparedQuery, row: CounterRow, level: Level, unit: Unit, used: number, limit: number): Promise<true | null> {
  const column = level === "threshold" ? "threshold_notified_at" : "exceeded_notified_at";
  const won = await query(
    `update budget_counters set ${column} = now() where budget_id = $1 and month = $2::date and ${column} is null returning budget_id`,
    [row.budgetId, row.month],
  );
  if (won.length === 0) return null;
  const [d] = (await query(DESCRIBE_SQL, [row.budgetId])) as Described[];
  if (!d) return null;
  const target = budgetTarget(d);
  const data = { budgetId: row.budgetId, scope: d.scope, target, org: d.org_slug, unit, used, limit, month: row.month };
  const scope = d.org_id ? { orgId: d.org_id } : { userId: d.token_user_id };
  await recordEvent(await getDb(), {
    kind: level === "threshold" ? "budget.threshold" : "budget.exceeded",
    actor: {},
    scope,
    target: { type: "budget", id: row.budgetId },
    details: data,
  });
  const owner = d.org_id ? { orgId: d.org_id } : d.token_user_id ? { userId: d.token_user_id } : null;
  if (owner) await emitAlert({ owner, event: level === "threshold" ? "budget.threshold" : "budget.exceeded", data });
  return true;
}
