import type { Metadata } from "next";
import { DeleteAccountCard } from "@/components/account/delete-account-card";
import { NameForm } from "@/components/account/name-form";
import { PasswordForm } from "@/components/account/password-form";
import { SessionsCard } from "@/components/account/sessions-card";
import { PageHeader } from "@/components/app/page-header";
import { getDb } from "@/db/client";
import { getAccount, lastOwnedOrgs, listRecentSignIns } from "@/lib/auth/account";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser();
  const db = await getDb();
  const [account, signIns, lastOwnerOf] = await Promise.all([
    getAccount(db, user.id),
    listRecentSignIns(db, user.id),
    lastOwnedOrgs(db, user.id),
  ]);
  const { name, email, hasPassword } = account ?? { ...user, hasPassword: false };
  return (
    <>
      <PageHeader title="Account" description="Your name, your password, where you are signed in, and deleting your account." />
      <div className="grid max-w-3xl gap-6">
        <NameForm name={name} email={email} />
        <PasswordForm hasPassword={hasPassword} email={email} />
        <SessionsCard signIns={signIns} />
        <DeleteAccountCard email={email} hasPassword={hasPassword} lastOwnerOf={lastOwnerOf.map((o) => o.name)} />
      </div>
    </>
  );
}
