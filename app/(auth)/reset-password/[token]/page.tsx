import type { Metadata } from "next";
import { LinkProblem } from "@/components/auth/link-problem";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { getDb } from "@/db/client";
import { inspectEmailToken } from "@/lib/auth/email-tokens";

// The token is in the URL: keep it out of Referer headers (next.config.mjs sends no-referrer too) and search engines.
export const metadata: Metadata = { title: "Reset password", referrer: "no-referrer", robots: { index: false, follow: false } };

const newLink = { href: "/forgot-password", label: "Ask for a new link" };

/** Opening a reset link only shows the form; the link is used when the new password is saved. */
export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const found = await inspectEmailToken(await getDb(), token, "reset_password");
  if (found.state === "used") {
    return (
      <LinkProblem title="This reset link was already used" next={newLink}>
        Each link works once. If you did not reset your password, ask for a new link.
      </LinkProblem>
    );
  }
  if (found.state === "expired") {
    return (
      <LinkProblem title="This reset link has expired" next={newLink}>
        Reset links work for 1 hour, and only the newest one you asked for. Ask for a new link.
      </LinkProblem>
    );
  }
  if (found.state === "invalid") {
    return (
      <LinkProblem title="This reset link is not valid" next={newLink}>
        Check that you opened the whole link from the email, or ask for a new one.
      </LinkProblem>
    );
  }
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Choose a new password</h1>
        <p className="text-sm text-muted-foreground">
          For <strong className="break-words text-foreground">{found.email}</strong>. Saving it signs you out on every device.
        </p>
      </div>
      <ResetPasswordForm token={token} email={found.email} />
    </div>
  );
}
