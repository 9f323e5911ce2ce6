/** Budget months are calendar months in UTC; a month is named by its first day ("2026-12-01"). */

/** The first day of `now`'s UTC month, as a date string. */
export function monthOf(now: Date = new Date()): string {
  const y = now.getUTCFullYear();
  const m = String(now.getUTCMonth() + 1).padStart(2, "0");
  return `${y}-${m}-01`;
}

/** The instant the next UTC month begins. */
export function nextMonthStart(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** Whole seconds until the next UTC month begins (at least 1): a refusal's Retry-After. */
export function secondsToNextMonth(now: Date = new Date()): number {
  return Math.max(1, Math.ceil((nextMonthStart(now).getTime() - now.getTime()) / 1000));
}

/** "December 2026" for a month string. */
export function monthLabel(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, 1)).toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}
