import { cn } from "@/lib/utils";

const format = (n: number) => n.toLocaleString("en-US");

/** This month's use of one limit: "812 / 1,000 requests" and a bar (amber from 80 %, red at 100 %). */
export function UsageBar({ label, used, limit, unit }: { label: string; used: number; limit: number; unit: string }) {
  const percent = Math.min(100, Math.floor((used / limit) * 100));
  const tone = used >= limit ? "bg-destructive" : used * 5 >= limit * 4 ? "bg-warning" : "bg-primary";
  return (
    <div className="grid gap-1">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-xs">
        <span className="text-muted-foreground">{label}</span>
        <span className="font-medium tabular-nums">
          {format(used)} / {format(limit)} {unit} <span className="text-muted-foreground">({percent} %)</span>
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${format(used)} of ${format(limit)} ${unit}`}
        className="h-2 overflow-hidden rounded-full bg-muted"
      >
        <div className={cn("h-full rounded-full transition-[width]", tone)} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
