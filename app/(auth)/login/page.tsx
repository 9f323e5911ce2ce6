import type { Metadata } from "next";
import { FormStatus } from "@/components/auth/form-status";
import { LoginForm } from "@/components/auth/login-form";
import { SessionNotice } from "@/components/auth/session-notice";
import { safeCallbackPath } from "@/lib/auth/paths";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, notice, reset } = await searchParams;
  const returnTo = safeCallbackPath(callbackUrl, "");
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="text-sm text-muted-foreground">Your provider keys and agent tokens, in one place.</p>
      </div>
      <SessionNotice notice={notice} />
      {reset === "done" ? (
        <FormStatus message="Your password was changed and every session ended. Sign in with your new password." />
      ) : null}
      <LoginForm callbackUrl={returnTo || undefined} />
    </div>
  );
}
