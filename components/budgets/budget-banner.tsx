import { ArrowRightIcon, GaugeIcon } from "lucide-react";
import Link from "next/link";
import type { BudgetWarning } from "@/lib/budgets/pages";

/** On every dashboard page while a budget that concerns the user is at 80 % or more this month. */
export function BudgetBanner({ warnings }: { warnings: BudgetWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <section
      data-banner="budgets"
      aria-labelledby="budget-banner-title"
      className="mb-5 grid gap-2 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm"
    >
      <h2 id="budget-banner-title" className="flex items-center gap-2 font-medium">
        <GaugeIcon className="size-4 shrink-0 text-warning" aria-hidden />
        {warnings.some((w) => w.percent >= 100) ? "A monthly budget is used up" : "A monthly budget is almost used up"}
      </h2>
      <ul className="grid gap-1.5">
        {warnings.slice(0, 5).map((w) => (
          <li key={w.budgetId} className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <span className="min-w-0">
              <strong className="font-medium">{w.target}</strong>
              {w.orgName ? ` in ${w.orgName}` : ""}: {w.percent} % of its monthly {w.unit === "requests" ? "request" : "token"} limit
              {w.percent >= 100 ? " — the gateway refuses further calls until the limit is raised or the month turns." : "."}
            </span>
            <Link href={w.href} className="inline-flex items-center gap-1 font-medium text-primary hover:underline">
              Open Budgets <ArrowRightIcon className="size-3.5" aria-hidden />
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
