import { ActivityIcon } from "lucide-react";
import { EmptyState } from "@/components/app/page-header";
import type { UsageData } from "@/lib/usage/types";
import { formatCost } from "@/lib/usage/types";
import { UsageCharts } from "./usage-charts";
import { UsageTable } from "./usage-table";

export const EMPTY_USAGE = "No gateway traffic yet — agents using a gateway-mode credential show up here";

const whole = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="grid gap-0.5 rounded-xl border bg-card px-4 py-3">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums">{value}</dd>
      {detail ? <dd className="text-xs text-muted-foreground">{detail}</dd> : null}
    </div>
  );
}

/**
 * The body of a usage page: totals, charts, table (server component; the charts and table are
 * client leaves fed plain data). `anyUsage` false: nothing was ever recorded for this scope.
 */
export function UsageView({ usage, anyUsage, fileName }: { usage: UsageData; anyUsage: boolean; fileName: string }) {
  if (usage.totals.requests === 0) {
    return anyUsage ? (
      <EmptyState icon={<ActivityIcon />} title="No gateway traffic in this range">
        Nothing went through the gateway between {usage.from} and {usage.to} (UTC). Choose a longer range.
      </EmptyState>
    ) : (
      <EmptyState icon={<ActivityIcon />} title={EMPTY_USAGE}>
        Set a provider to “Gateway only (the key never leaves BYOK)” and point an agent at it: its requests, tokens and errors appear here
        within seconds.
      </EmptyState>
    );
  }
  const { totals } = usage;
  return (
    <div className="grid gap-6">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Requests" value={whole.format(totals.requests)} />
        <Stat
          label="Tokens"
          value={whole.format(totals.inputTokens + totals.outputTokens)}
          detail={`${whole.format(totals.inputTokens)} in · ${whole.format(totals.outputTokens)} out`}
        />
        <Stat
          label="Errors"
          value={whole.format(totals.errors)}
          detail={`${percent.format(totals.errors / totals.requests)} of requests`}
        />
        <Stat
          label="Estimated cost"
          value={totals.cost === null ? "—" : formatCost(totals.cost)}
          detail={totals.cost === null ? "No prices set" : "Priced models only"}
        />
      </dl>
      <UsageCharts stacks={usage.stacks} daily={usage.daily} />
      <UsageTable rows={usage.rows} fileName={fileName} />
    </div>
  );
}
