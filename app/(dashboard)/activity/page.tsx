import type { Metadata } from "next";
import { ActivityFeed } from "@/components/activity/activity-feed";
import { PageHeader } from "@/components/app/page-header";
import { getDb } from "@/db/client";
import { kindParam, loadActivity } from "@/lib/audit/load-activity";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ kind?: string | string[] }> }) {
  const user = await requireUser();
  const props = await loadActivity(await getDb(), { userId: user.id }, kindParam((await searchParams).kind));
  return (
    <>
      <PageHeader
        title="Activity"
        description="What you did, and what your agents did with your tokens: who, when and from where. Keys are never shown here."
      />
      <ActivityFeed {...props} />
    </>
  );
}
