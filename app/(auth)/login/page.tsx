import type { Metadata } from "next";
import { FormStatus } from "@/components/auth/form-status";
import { LoginForm } from "@/components/auth/login-form";
import { LoginNoticeBox } from "@/components/auth/login-notice";
import { SessionNotice } from "@/components/auth/session-notice";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { safeCallbackPath } from "@/lib/auth/paths";
import { loginNotice } from "@/lib/auth/sso-messages";
import { ssoSettings } from "@/lib/auth/sso-settings";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, notice, reset, error } = await searchParams;
  const returnTo = safeCallbackPath(callbackUrl, "");
  const sso = ssoSettings();
  const signInProblem = loginNotice(error, sso?.name ?? "single sign-on");
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
      <LoginNoticeBox notice={signInProblem} />
      {sso ? <SsoSignIn providerName={sso.name} callbackUrl={returnTo || undefined} /> : null}
      <LoginForm callbackUrl={returnTo || undefined} />
    </div>
  );
}
