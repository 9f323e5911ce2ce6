import type { ReactNode } from "react";
import { VerifyEmailBanner } from "@/components/account/verify-email-banner";
import { AppShell } from "@/components/app/app-shell";
import { BudgetBanner } from "@/components/budgets/budget-banner";
import { getDb } from "@/db/client";
import { verificationRequired } from "@/lib/auth/email-verification";
import { requireUser } from "@/lib/auth/session";
import { budgetWarnings } from "@/lib/budgets/pages";
import { listUserOrgs } from "@/lib/orgs/organizations";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const db = await getDb();
  const [orgs, warnings] = await Promise.all([listUserOrgs(db, user.id), budgetWarnings(db, user.id)]);
  return (
    <AppShell user={{ name: user.name, email: user.email }} orgs={orgs.map(({ slug, name, role }) => ({ slug, name, role }))}>
      {verificationRequired() && !user.emailVerifiedAt ? <VerifyEmailBanner email={user.email} /> : null}
      <BudgetBanner warnings={warnings} />
      {children}
    </AppShell>
  );
}
