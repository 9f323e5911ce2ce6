import type { Metadata } from "next";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { mailConfigured } from "@/lib/mail";

export const metadata: Metadata = { title: "Forgot password", robots: { index: false, follow: false } };

export default function ForgotPasswordPage() {
  const canMail = mailConfigured();
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Forgot your password?</h1>
        <p className="text-sm text-muted-foreground">
          {canMail
            ? "Enter the email you sign in with, and we will send you a link to choose a new password."
            : "This BYOK instance does not send email."}
        </p>
      </div>
      {canMail ? (
        <ForgotPasswordForm />
      ) : (
        <div className="grid gap-3 rounded-lg border bg-card p-4 text-sm shadow-sm">
          <p>Ask the person who runs it for a reset link. On the server, they run:</p>
          <pre className="overflow-x-auto rounded-md bg-muted px-3 py-2 font-mono text-xs">
            npm run user:reset-password -- you@example.com
          </pre>
          <p className="text-muted-foreground">The link it prints works once, for 1 hour.</p>
        </div>
      )}
    </div>
  );
}
