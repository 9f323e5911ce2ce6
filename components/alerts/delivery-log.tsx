"use client";

import { RefreshCwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DeliveryView } from "@/lib/alerts/webhooks";

const STATUS = {
  delivered: { label: "Delivered", variant: "success" },
  pending: { label: "Pending", variant: "warning" },
  failed: { label: "Failed", variant: "destructive" },
} as const;

/** The newest deliveries, newest first; refreshes itself every 10 s while some are pending. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryView[] }) {
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  const hasPending = deliveries.some((d) => d.status === "pending");
  useEffect(() => {
    if (!hasPending) return;
    const timer = setInterval(() => startTransition(() => router.refresh()), 10_000);
    return () => clearInterval(timer);
  }, [hasPending, router]);

  return (
    <section aria-labelledby="deliveries-heading" className="grid grid-cols-1 gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="deliveries-heading" className="text-base font-semibold">
          Delivery log
        </h2>
        <Button
          variant="outline"
          size="sm"
          onClick={() => startTransition(() => router.refresh())}
          disabled={refreshing}
          aria-busy={refreshing}
        >
          <RefreshCwIcon aria-hidden className={refreshing ? "animate-spin" : undefined} />
          Refresh
        </Button>
      </div>
      {deliveries.length === 0 ? (
        <p className="rounded-xl border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
          No deliveries yet. Events and test events show up here with their HTTP status.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-xl border bg-card">
          <table className="w-full min-w-[52rem] text-sm">
            <caption className="sr-only">Webhook deliveries, newest first</caption>
            <thead className="border-b text-left text-xs text-muted-foreground">
              <tr>
                {["Time", "Event", "Webhook", "Status", "HTTP", "Attempts", "Last error"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} className="border-b align-top last:border-0" data-status={d.status}>
                  <td className="px-4 py-2.5 whitespace-nowrap">
                    <RelativeTime iso={d.createdAt} />
                  </td>
                  <td className="px-4 py-2.5 font-mono text-xs whitespace-nowrap">{d.event}</td>
                  <td className="max-w-[16rem] truncate px-4 py-2.5 font-mono text-xs" title={d.webhookUrl}>
                    {d.webhookUrl}
                  </td>
                  <td className="px-4 py-2.5">
                    <Badge variant={STATUS[d.status].variant}>{STATUS[d.status].label}</Badge>
                  </td>
                  <td className="px-4 py-2.5 font-mono text-xs">{d.lastStatusCode ?? "—"}</td>
                  <td className="px-4 py-2.5 text-xs">
                    {d.attempts}
                    {d.status === "pending" && d.attempts > 0 ? (
                      <span className="block text-muted-foreground">
                        next <RelativeTime iso={d.nextAttemptAt} />
                      </span>
                    ) : null}
                  </td>
                  <td className="max-w-[18rem] px-4 py-2.5 text-xs break-words text-muted-foreground">{d.lastError ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
