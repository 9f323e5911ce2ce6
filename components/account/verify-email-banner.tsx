import { MailWarningIcon } from "lucide-react";
import { ResendVerificationButton } from "./resend-verification-button";

/** On every dashboard page until the address is verified (only when BYOK sends mail). */
export function VerifyEmailBanner({ email }: { email: string }) {
  return (
    // Not a labelled region: its name would match getByLabel("Email") on every dashboard page.
    <section
      data-banner="verify-email"
      className="mb-5 flex flex-col gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm sm:flex-row sm:items-start"
    >
      <MailWarningIcon className="hidden size-5 shrink-0 text-warning sm:mt-0.5 sm:block" aria-hidden />
      <div className="grid min-w-0 flex-1 gap-1">
        <h2 className="font-medium">Verify your email address</h2>
        <p className="text-muted-foreground">
          We sent a link to <strong className="break-words text-foreground">{email}</strong>. Open it to confirm the address is yours; until
          then you cannot accept invitations to organizations.
        </p>
      </div>
      <ResendVerificationButton align="end" className="sm:max-w-64 sm:text-right" />
    </section>
  );
}
