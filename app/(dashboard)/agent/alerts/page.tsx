import type { Metadata } from "next";
import { AlertsDescription, AlertsView } from "@/components/alerts/alerts-view";
import { PageHeader } from "@/components/app/page-header";
import { getDb } from "@/db/client";
import { loadAlertsPage } from "@/lib/alerts/webhooks";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Alerts" };

/** The user's own alerts: webhooks for their credentials and tokens, and the delivery log. */
export default async function AlertsPage() {
  const user = await requireUser();
  const page = await loadAlertsPage(await getDb(), { userId: user.id }, { kind: "user" });
  return (
    <>
      <PageHeader title="Alerts" description={<AlertsDescription />} />
      <AlertsView page={page} orgSlug={null} />
    </>
  );
}
