/**
 * What the usage pages show, as plain data (client-safe: the charts and the table are client
 * components fed by the server). Nothing here is ever a key.
 */

/** How the per-day charts are stacked. */
export type StackBy = "credential" | "model" | "member";

/** One series of a stacked chart: `id` is the data key in the points, `label` what the legend says. */
export type SeriesKey = { id: string; label: string };

/** A stacked chart's data: one point per day with a number per series id. */
export type Stack = {
  keys: SeriesKey[];
  requests: Array<Record<string, number | string>>;
  tokens: Array<Record<string, number | string>>;
};

export type DailyTotals = { day: string; requests: number; errors: number; tokens: number; errorRate: number };

/** One row of the table: member × credential × model. */
export type UsageTableRow = {
  member: string;
  credential: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  errors: number;
  /** Estimated cost from the credential's prices for this model; null when no price is set. */
  cost: number | null;
};

export type UsageData = {
  from: string;
  to: string;
  totals: { requests: number; errors: number; inputTokens: number; outputTokens: number; cost: number | null };
  daily: DailyTotals[];
  stacks: Partial<Record<StackBy, Stack>>;
  rows: UsageTableRow[];
};

export const TABLE_COLUMNS = [
  "Member",
  "Credential",
  "Model",
  "Requests",
  "Input tokens",
  "Output tokens",
  "Errors",
  "Estimated cost",
] as const;

/** Shown for requests that named no model. */
export const NO_MODEL = "(no model)";

/** A cost as the table and the CSV write it: up to 4 decimals, empty when unknown. */
export function formatCost(cost: number | null): string {
  if (cost === null) return "";
  return cost.toFixed(4).replace(/0{1,2}$/, "");
}

/** A table row's cells, in TABLE_COLUMNS order, exactly as the table shows them (the CSV uses the same). */
export function rowCells(row: UsageTableRow): string[] {
  return [
    row.member,
    row.credential,
    row.model || NO_MODEL,
    String(row.requests),
    String(row.inputTokens),
    String(row.outputTokens),
    String(row.errors),
    formatCost(row.cost),
  ];
}

/** Rows whose member, credential or model contains `filter` (case-insensitive). */
export function filterRows(rows: UsageTableRow[], filter: string): UsageTableRow[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter((row) => [row.member, row.credential, row.model || NO_MODEL].some((cell) => cell.toLowerCase().includes(needle)));
}
