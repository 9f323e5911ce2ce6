/**
 * The date range of the usage pages, from the query string: `?range=7|30|90` (the last N UTC days,
 * today included) or `?range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD` (inclusive, at most 366 days).
 * Anything unparseable falls back to the last 30 days, with a message for the page. Client-safe.
 */
import { z } from "zod";

export const PRESETS = ["7", "30", "90"] as const;
export type Preset = (typeof PRESETS)[number];
export const MAX_DAYS = 366;
const DEFAULT: Preset = "30";

export type UsageRange = {
  preset: Preset | "custom";
  /** First day, inclusive (UTC, YYYY-MM-DD). */
  from: string;
  /** Last day, inclusive. */
  to: string;
  days: number;
  /** Why the query string was not used, if it was not. */
  error?: string;
};

const DAY_MS = 86_400_000;

const isoDay = z.iso.date().refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)));

/** YYYY-MM-DD of a date, in UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Every day from `from` to `to`, in order. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

function preset(value: Preset, today: string, error?: string): UsageRange {
  const days = Number(value);
  return { preset: value, from: addDays(today, 1 - days), to: today, days, ...(error ? { error } : {}) };
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const customSchema = z
  .object({ from: isoDay, to: isoDay })
  .refine((r) => r.from <= r.to, { error: "The start date must be on or before the end date." })
  .refine((r) => daysBetween(r.from, r.to) <= MAX_DAYS, { error: `Choose at most ${MAX_DAYS} days.` });

/** The range a page shows for its search params (`now` for tests). */
export function parseRange(
  params: { range?: string | string[]; from?: string | string[]; to?: string | string[] },
  now = new Date(),
): UsageRange {
  const today = utcDay(now);
  const range = first(params.range);
  if (range === undefined || range === "") return preset(DEFAULT, today);
  if ((PRESETS as readonly string[]).includes(range)) return preset(range as Preset, today);
  if (range !== "custom") return preset(DEFAULT, today, "Unknown range: showing the last 30 days.");
  const parsed = customSchema.safeParse({ from: first(params.from), to: first(params.to) });
  if (!parsed.success) {
    const message = parsed.error.issues.find((issue) => issue.path.length === 0)?.message ?? "Enter both dates as YYYY-MM-DD.";
    return preset(DEFAULT, today, `${message} Showing the last 30 days.`);
  }
  return { preset: "custom", from: parsed.data.from, to: parsed.data.to, days: daysBetween(parsed.data.from, parsed.data.to) };
}
