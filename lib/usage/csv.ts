/** CSV of the usage table (client-safe): the same rows and columns the table shows. */
import { rowCells, TABLE_COLUMNS, type UsageTableRow } from "./types";

/** Spreadsheet formula starters: a cell beginning with one is prefixed with `'` so it stays text. */
const FORMULA = /^[=+\-@\t\r]/;

/** One CSV cell: formula-guarded, quoted when it holds a comma, quote or line break. */
export function csvCell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180 CSV (CRLF line ends) of a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** The usage table as CSV. */
export function usageCsv(rows: readonly UsageTableRow[]): string {
  return toCsv(TABLE_COLUMNS, rows.map(rowCells));
}
