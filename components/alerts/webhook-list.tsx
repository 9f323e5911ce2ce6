"use client";

import { WebhookIcon } from "lucide-react";
import { useTransition } from "react";
import { removeWebhookAction, sendTestEventAction } from "@/app/(dashboard)/_actions/alerts";
import { EmptyState } from "@/components/app/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { toast } from "@/components/ui/toaster";
import type { WebhookView } from "@/lib/alerts/webhooks";

/** The scope's webhooks, each with "Send test event" and "Remove". */
export function WebhookList({ webhooks, orgSlug }: { webhooks: WebhookView[]; orgSlug: string | null }) {
  const [pending, startTransition] = useTransition();
  if (webhooks.length === 0) {
    return (
      <EmptyState icon={<WebhookIcon />} title="No webhooks yet">
        Add one above: alerts then reach your endpoint (and, when email is set up, your inbox).
      </EmptyState>
    );
  }
  function sendTest(hook: WebhookView) {
    startTransition(async () => {
      const result = await sendTestEventAction(orgSlug, hook.id);
      if (!result.ok) toast.error(result.error);
      else if (result.data?.status === "delivered") toast.success(`Test event delivered (HTTP ${result.data.statusCode})`);
      else toast.warning(`Test event queued: ${result.data?.error ?? "not delivered"}. It is retried with backoff.`);
    });
  }
  function remove(hook: WebhookView) {
    startTransition(async () => {
      const result = await removeWebhookAction(orgSlug, hook.id);
      if (result.ok) toast.success("Webhook removed");
      else toast.error(result.error);
    });
  }
  return (
    <ul aria-label="Webhooks" className="grid gap-3">
      {webhooks.map((hook) => (
        <li key={hook.id} className="grid gap-3 rounded-xl border bg-card p-4 shadow-sm sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
          <div className="grid min-w-0 gap-1.5">
            <p className="font-mono text-sm break-all">{hook.url}</p>
            <p className="flex flex-wrap gap-1">
              {hook.events.map((event) => (
                <Badge key={event} variant="neutral" className="font-mono">
                  {event}
                </Badge>
              ))}
            </p>
            <p className="text-xs text-muted-foreground">
              <span className="font-mono">Secret {hook.secretHint}</span> · added <RelativeTime iso={hook.createdAt} />
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" disabled={pending} onClick={() => sendTest(hook)}>
              Send test event
            </Button>
            <ConfirmDialog
              trigger={
                <Button variant="outline" size="sm" disabled={pending} aria-label={`Remove ${hook.url}`}>
                  Remove
                </Button>
              }
              title="Remove this webhook?"
              description={`Events stop going to ${hook.url}, and its delivery log is deleted.`}
              confirmLabel="Remove"
              onConfirm={() => remove(hook)}
            />
          </div>
        </li>
      ))}
    </ul>
  );
}
