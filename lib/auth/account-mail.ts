/**
 * The emails about an account: verify the address, reset the password. Links are built from
 * APP_URL only (start-up requires it with SMTP_URL), never from a request's headers.
 */
import "server-only";
import { configuredOrigin } from "@/lib/app-url";
import { mailConfigured, sendMail } from "@/lib/mail";

/** The origin for links in emails: APP_URL, or undefined when mail is off. */
export function mailOrigin(): string | undefined {
  return mailConfigured() ? configuredOrigin() : undefined;
}

export const verifyEmailLink = (origin: string, token: string) => `${origin}/verify-email/${token}`;
export const resetPasswordLink = (origin: string, token: string) => `${origin}/reset-password/${token}`;

/** Sends the verification link; false when mail is off or sending failed (logged by sendMail). */
export async function sendVerificationMail(to: { name: string; email: string }, token: string): Promise<boolean> {
  const origin = mailOrigin();
  if (!origin) return false;
  return sendMail({
    to: to.email,
    subject: "Verify your email address for BYOK",
    text: [
      `Hi ${to.name},`,
      "",
      `Please confirm that ${to.email} is your email address for BYOK by opening this link and pressing "Verify email":`,
      "",
      verifyEmailLink(origin, token),
      "",
      "The link works once and expires in 24 hours. If you did not create a BYOK account, you can ignore this email.",
    ].join("\n"),
  });
}

/** Sends the password reset link; false when mail is off or sending failed. */
export async function sendPasswordResetMail(to: { name: string; email: string }, token: string): Promise<boolean> {
  const origin = mailOrigin();
  if (!origin) return false;
  return sendMail({
    to: to.email,
    subject: "Reset your BYOK password",
    text: [
      `Hi ${to.name},`,
      "",
      "Someone (hopefully you) asked to reset the password of your BYOK account. To choose a new password, open this link:",
      "",
      resetPasswordLink(origin, token),
      "",
      "The link works once and expires in 1 hour. Resetting your password signs you out everywhere.",
      "If you did not ask for this, ignore this email: your password stays as it is.",
    ].join("\n"),
  });
}
