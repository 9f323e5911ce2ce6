import type { Metadata } from "next";
import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { LoginNoticeBox } from "@/components/auth/login-notice";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { loginNotices } from "@/lib/auth/login-notices";
import { safeCallbackPath } from "@/lib/auth/paths";
import { ssoSettings } from "@/lib/auth/sso-settings";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const returnTo = safeCallbackPath(query.callbackUrl, "");
  const sso = ssoSettings();
  const notices = loginNotices(query, sso?.name ?? "single sign-on");
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="text-sm text-muted-foreground">Your provider keys and agent tokens, in one place.</p>
      </div>
      {notices.map((notice) => (
        <LoginNoticeBox key={notice.message} notice={notice} />
      ))}
      {sso ? <SsoSignIn providerName={sso.name} callbackUrl={returnTo || undefined} /> : null}
      <LoginForm callbackUrl={returnTo || undefined} />
      <p className="border-t pt-4 text-center text-xs text-muted-foreground">
        Building an agent?{" "}
        <Link href="/docs/api" className="font-medium text-primary underline-offset-4 hover:underline">
          API reference
        </Link>
      </p>
    </div>
  );
}
