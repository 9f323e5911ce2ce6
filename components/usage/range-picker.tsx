import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { UsageRange } from "@/lib/usage/range";
import { cn } from "@/lib/utils";

const PRESET_LABELS = [
  ["7", "7 days"],
  ["30", "30 days"],
  ["90", "90 days"],
] as const;

/**
 * The range of the usage pages: three links (7 / 30 / 90 days) and a custom From–To form, both
 * plain GETs of the page (no client code: the page reads ?range, ?from, ?to).
 */
export function RangePicker({ basePath, range }: { basePath: string; range: UsageRange }) {
  return (
    <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
      <nav aria-label="Range" className="grid gap-1.5">
        <span className="text-sm font-medium" aria-hidden>
          Range
        </span>
        <div className="flex gap-1 rounded-md bg-muted p-1">
          {PRESET_LABELS.map(([value, label]) => {
            const current = range.preset === value;
            return (
              <Link
                key={value}
                href={`${basePath}?range=${value}`}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "rounded-sm px-2.5 py-1 text-xs font-medium text-muted-foreground transition-colors hover:text-foreground",
                  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
                  current && "bg-card text-foreground shadow-sm",
                )}
              >
                Last {label}
              </Link>
            );
          })}
        </div>
      </nav>
      <form method="get" action={basePath} className="flex flex-wrap items-end gap-2" aria-label="Custom range">
        <input type="hidden" name="range" value="custom" />
        <div className="grid gap-1.5">
          <label htmlFor="usage-from" className="text-sm font-medium">
            From
          </label>
          <Input id="usage-from" type="date" name="from" defaultValue={range.from} required className="w-auto" />
        </div>
        <div className="grid gap-1.5">
          <label htmlFor="usage-to" className="text-sm font-medium">
            To
          </label>
          <Input id="usage-to" type="date" name="to" defaultValue={range.to} required className="w-auto" />
        </div>
        <Button type="submit" variant={range.preset === "custom" ? "default" : "outline"}>
          Apply
        </Button>
      </form>
    </div>
  );
}
