/**
 * Outgoing email (nodemailer), only when SMTP_URL is configured (APP_URL is then required). Without
 * it, invitation links are shown to the inviter to copy; nothing is sent.
 */
import "server-only";
import { env } from "@/lib/env";
import { ConfigError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";

export const mailConfigured = () => env.SMTP_URL !== undefined;

/** Start-up check: mail needs APP_URL, because links in emails are built from it and nothing else. */
export function checkMailConfiguration(): void {
  if (env.SMTP_URL && !env.APP_URL) {
    throw new ConfigError(
      "SMTP_URL is set but APP_URL is not: set APP_URL to BYOK's public URL (e.g. https://byok.example.com); links in emails are built from it, never from request headers",
    );
  }
}

/** Sends a plain-text email; false (logged) when SMTP is not configured or sending failed. */
export async function sendMail(message: { to: string; subject: string; text: string }): Promise<boolean> {
  if (!env.SMTP_URL) return false;
  try {
    const { createTransport } = await import("nodemailer");
    const transport = createTransport(env.SMTP_URL);
    await transport.sendMail({ from: env.SMTP_FROM, ...message });
    return true;
  } catch (error) {
    log.warn("email not sent", { to: message.to, reason: describeError(error) });
    return false;
  }
}
