"use client";

import { DownloadIcon } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { usageCsv } from "@/lib/usage/csv";
import { filterRows, rowCells, TABLE_COLUMNS, type UsageTableRow } from "@/lib/usage/types";

const NUMERIC = new Set([3, 4, 5, 6, 7]);
const whole = new Intl.NumberFormat("en-US");

/** Numbers grouped for reading; the CSV keeps the plain digits. */
function display(cell: string, column: number): string {
  return NUMERIC.has(column) && column !== 7 && cell !== "" ? whole.format(Number(cell)) : cell;
}

/**
 * Member × credential × model, with a filter. "Export CSV" downloads exactly the rows shown (the
 * same filter) with the same columns, built from the same cells.
 */
export function UsageTable({ rows, fileName }: { rows: UsageTableRow[]; fileName: string }) {
  const [filter, setFilter] = useState("");
  const uid = useId();
  const shown = useMemo(() => filterRows(rows, filter), [rows, filter]);

  function exportCsv() {
    const blob = new Blob([usageCsv(shown)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <section aria-labelledby={`${uid}-title`} className="grid min-w-0 gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1">
          <h2 id={`${uid}-title`} className="text-base font-semibold">
            By member, credential and model
          </h2>
          <p className="text-xs text-muted-foreground" role="status" aria-live="polite">
            {shown.length === rows.length
              ? `${rows.length} ${rows.length === 1 ? "row" : "rows"}`
              : `${shown.length} of ${rows.length} rows`}
          </p>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          <div className="grid gap-1.5">
            <label htmlFor={`${uid}-filter`} className="text-sm font-medium">
              Filter
            </label>
            <Input
              id={`${uid}-filter`}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder="Member, credential or model"
              className="w-64 max-w-full"
              autoComplete="off"
            />
          </div>
          <Button type="button" variant="outline" onClick={exportCsv} disabled={shown.length === 0}>
            <DownloadIcon aria-hidden />
            Export CSV
          </Button>
        </div>
      </div>
      {/* Scrolls sideways on a phone instead of widening the page. */}
      <div className="relative overflow-x-auto rounded-lg border" tabIndex={0} role="region" aria-label="Usage table (scrolls sideways)">
        <table className="w-full min-w-[44rem] text-sm">
          <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
            <tr>
              {TABLE_COLUMNS.map((column, i) => (
                <th key={column} scope="col" className={`px-3 py-2 font-medium ${NUMERIC.has(i) ? "text-right" : ""}`}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const cells = rowCells(row);
              return (
                <tr key={`${row.member}\u0000${row.credential}\u0000${row.model}`} className="border-t">
                  {cells.map((cell, i) => (
                    <td
                      key={TABLE_COLUMNS[i]}
                      data-csv={cell}
                      title={NUMERIC.has(i) ? undefined : cell}
                      className={`px-3 py-2 ${NUMERIC.has(i) ? "text-right tabular-nums" : "max-w-64 truncate"}`}
                    >
                      {display(cell, i)}
                    </td>
                  ))}
                </tr>
              );
            })}
            {shown.length === 0 ? (
              <tr>
                <td colSpan={TABLE_COLUMNS.length} className="px-3 py-6 text-center text-muted-foreground">
                  No rows match “{filter}”.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
