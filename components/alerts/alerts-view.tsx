import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { AlertsPage } from "@/lib/alerts/webhooks";
import { DeliveryLog } from "./delivery-log";
import { VERIFY_SNIPPET } from "./verify-snippet";
import { WebhookForm } from "./webhook-form";
import { WebhookList } from "./webhook-list";

export function AlertsDescription({ org }: { org?: string }) {
  return (
    <>
      Webhooks that hear when {org ? `a key of ${org}` : "one of your keys"} stops working or runs out of quota, a budget fills up, or an
      agent token is about to expire. With email set up, {org ? "owners and admins" : "you"} get the same events by email.
    </>
  );
}

/** The Alerts page body: add form, webhooks, delivery log and the verification snippet. */
export function AlertsView({ page, orgSlug }: { page: AlertsPage; orgSlug: string | null }) {
  return (
    <div className="grid grid-cols-1 gap-6">
      <WebhookForm orgSlug={orgSlug} />
      <section aria-labelledby="webhooks-heading" className="grid grid-cols-1 gap-3">
        <h2 id="webhooks-heading" className="text-base font-semibold">
          Webhooks
        </h2>
        <WebhookList webhooks={page.webhooks} orgSlug={orgSlug} />
      </section>
      <DeliveryLog deliveries={page.deliveries} />
      <Card>
        <CardHeader>
          <CardTitle>Verifying deliveries</CardTitle>
          <CardDescription>
            Each POST carries <code className="font-mono">X-BYOK-Event</code>, <code className="font-mono">X-BYOK-Delivery</code> (an id,
            the same across retries) and <code className="font-mono">X-BYOK-Signature: t=&lt;unix time&gt;,v1=&lt;hex HMAC-SHA256&gt;</code>{" "}
            over <code className="font-mono">{"`${t}.${body}`"}</code>. A failed delivery (no 2xx within 10 s) is retried after about 30 s,
            2, 10 and 30 minutes, then every 1–2 hours, for 24 hours. In Node:
          </CardDescription>
        </CardHeader>
        <CardContent>
          <pre
            className="overflow-x-auto rounded-md border bg-muted p-3 font-mono text-xs leading-relaxed"
            tabIndex={0}
            aria-label="Signature verification in Node"
          >
            <code>{VERIFY_SNIPPET}</code>
          </pre>
        </CardContent>
      </Card>
    </div>
  );
}
