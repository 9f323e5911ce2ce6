import { GaugeIcon, InfoIcon } from "lucide-react";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/app/page-header";
import type { BudgetRow as Row } from "@/lib/budgets/pages";
import { monthLabel } from "@/lib/budgets/month";
import { BudgetRow } from "./budget-row";

/** The one-line explanation under the page title. */
export function BudgetsDescription() {
  return (
    <>
      Monthly limits on gateway use, in requests and/or tokens. At 100 % the gateway answers{" "}
      <code className="font-mono text-xs">429 budget_exceeded</code> until the limit is raised or the month turns (UTC).
    </>
  );
}

/** What budgets cannot see: keys handed out in key mode. */
export function MeteringNote({ month }: { month: string }) {
  return (
    <p className="flex items-start gap-2 rounded-lg border bg-card px-4 py-3 text-sm" role="note">
      <InfoIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
      <span className="min-w-0">
        Budgets meter gateway traffic only: a released key (key mode) cannot be metered, because agents then call the provider directly.
        Counts are for {monthLabel(month)} (UTC) and start when a budget is set. Alerts go out at 80 % and 100 %.
      </span>
    </p>
  );
}

/** A titled group of budget rows, or its empty state. */
export function BudgetSection({
  title,
  description,
  rows,
  orgSlug,
  empty,
}: {
  title: string;
  description: ReactNode;
  rows: Row[];
  orgSlug: string | null;
  empty: { title: string; body: ReactNode };
}) {
  return (
    <div className="grid gap-3">
      <div className="grid gap-1">
        <h2 className="text-lg font-semibold tracking-tight">{title}</h2>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {rows.length === 0 ? (
        <EmptyState icon={<GaugeIcon />} title={empty.title}>
          {empty.body}
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          {rows.map((row) => (
            <BudgetRow key={`${row.scope}:${row.id}`} row={row} orgSlug={orgSlug} />
          ))}
        </div>
      )}
    </div>
  );
}
