import type { Metadata } from "next";
import { PageHeader } from "@/components/app/page-header";
import { BudgetRow } from "@/components/budgets/budget-row";
import { BudgetSection, BudgetsDescription, MeteringNote } from "@/components/budgets/budgets-view";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { loadUserBudgets } from "@/lib/budgets/pages";

export const metadata: Metadata = { title: "Budgets" };

/** The user's own tokens' budgets, and the member budgets their organizations set on them (read-only). */
export default async function AgentBudgetsPage() {
  const user = await requireUser();
  const page = await loadUserBudgets(await getDb(), user.id);
  return (
    <>
      <PageHeader title="Budgets" description={<BudgetsDescription />} />
      <div className="grid gap-8">
        <MeteringNote month={page.month} />
        <BudgetSection
          title="Your tokens"
          description="Limit what one of your agent tokens may use through the gateway each month."
          rows={page.tokens}
          orgSlug={null}
          empty={{ title: "No tokens yet", body: "Create a token on the Tokens page, then give it a budget here." }}
        />
        {page.memberBudgets.length > 0 ? (
          <div className="grid gap-3">
            <div className="grid gap-1">
              <h2 className="text-lg font-semibold tracking-tight">Set by your organizations</h2>
              <p className="text-sm text-muted-foreground">
                Your gateway use of an organization’s providers, as its owners and admins limit it.
              </p>
            </div>
            {page.memberBudgets.map((row) => (
              <BudgetRow key={row.id} row={row} orgSlug={null} readOnly />
            ))}
          </div>
        ) : null}
      </div>
    </>
  );
}
