import type { Metadata } from "next";
import { LoginForm } from "@/components/auth/login-form";
import { LoginNoticeBox } from "@/components/auth/login-notice";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { safeCallbackPath } from "@/lib/auth/paths";
import { loginNotice } from "@/lib/auth/sso-messages";
import { ssoSettings } from "@/lib/auth/sso-settings";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, error } = await searchParams;
  const returnTo = safeCallbackPath(callbackUrl, "");
  const sso = ssoSettings();
  const notice = loginNotice(error, sso?.name ?? "single sign-on");
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="text-sm text-muted-foreground">Your provider keys and agent tokens, in one place.</p>
      </div>
      <LoginNoticeBox notice={notice} />
      {sso ? <SsoSignIn providerName={sso.name} callbackUrl={returnTo || undefined} /> : null}
      <LoginForm callbackUrl={returnTo || undefined} />
    </div>
  );
}
