import type { Metadata } from "next";
import { PageHeader } from "@/components/app/page-header";
import { FormAlert } from "@/components/auth/form-alert";
import { RangePicker } from "@/components/usage/range-picker";
import { UsageView } from "@/components/usage/usage-view";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { hasAnyUsage, loadUsage } from "@/lib/usage/load";
import { parseRange } from "@/lib/usage/range";

export const metadata: Metadata = { title: "Usage" };

type SearchParams = Promise<{ range?: string | string[]; from?: string | string[]; to?: string | string[] }>;

/** The signed-in user's gateway usage: their own tokens, on their credentials and on shared ones. */
export default async function UsagePage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const db = await getDb();
  const range = parseRange(await searchParams);
  const scope = { userId: user.id };
  const [usage, anyUsage] = await Promise.all([loadUsage(db, scope, range), hasAnyUsage(db, scope)]);
  return (
    <>
      <PageHeader
        title="Usage"
        description="Requests and tokens your agents sent through the gateway with your tokens, on your own credentials and on those shared with you. Days are UTC."
      />
      <div className="grid gap-6">
        <RangePicker basePath="/usage" range={range} />
        {range.error ? <FormAlert message={range.error} /> : null}
        <UsageView usage={usage} anyUsage={anyUsage} fileName={`usage-${range.from}-to-${range.to}.csv`} />
      </div>
    </>
  );
}
