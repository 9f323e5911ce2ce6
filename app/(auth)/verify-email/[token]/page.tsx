import { MailCheckIcon } from "lucide-react";
import type { Metadata } from "next";
import { LinkProblem } from "@/components/auth/link-problem";
import { VerifyEmailForm } from "@/components/auth/verify-email-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { inspectEmailToken } from "@/lib/auth/email-tokens";

// The token is in the URL: keep it out of Referer headers (next.config.mjs sends no-referrer too) and search engines.
export const metadata: Metadata = { title: "Verify email", referrer: "no-referrer", robots: { index: false, follow: false } };

// The dashboard (after signing in, if needed) has "Resend verification email".
const resend = { href: "/agent/models", label: "Get a new link" };

/**
 * Opening a verification link verifies nothing by itself: mail scanners fetch links. The person
 * presses "Verify email" (a POST).
 */
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const found = await inspectEmailToken(await getDb(), token, "verify_email");
  if (found.state === "used" && found.emailVerified) {
    return (
      <LinkProblem title="Your email is already verified" next={{ href: "/agent/models", label: "Go to the dashboard" }}>
        This link was used already; there is nothing more to do.
      </LinkProblem>
    );
  }
  if (found.state === "used") {
    return (
      <LinkProblem title="This verification link was already used" next={resend}>
        Each link works once. Sign in and press “Resend verification email” on the dashboard for a new one.
      </LinkProblem>
    );
  }
  if (found.state === "expired") {
    return (
      <LinkProblem title="This verification link has expired" next={resend}>
        Verification links work for 24 hours. Sign in and press “Resend verification email” on the dashboard for a new one.
      </LinkProblem>
    );
  }
  if (found.state === "invalid") {
    return (
      <LinkProblem title="This verification link is not valid" next={resend}>
        Check that you opened the whole link from the email. If your email address changed since, the link no longer applies: sign in and
        press “Resend verification email” on the dashboard.
      </LinkProblem>
    );
  }
  return (
    <Card>
      <CardHeader>
        <MailCheckIcon className="size-6 text-primary" aria-hidden />
        <h1 className="text-xl leading-tight font-semibold tracking-tight">Verify your email</h1>
        <CardDescription>
          Confirm that <strong className="break-words text-foreground">{found.email}</strong> is your address for BYOK.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <VerifyEmailForm token={token} />
      </CardContent>
    </Card>
  );
}
