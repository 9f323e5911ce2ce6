/**
 * BYOK's public origin. Links in emails come from APP_URL only: a request's headers never decide
 * where a mail sent by BYOK points (start-up refuses SMTP_URL without APP_URL). Links shown on a
 * page may fall back to the request's own Host, since only the person who sent it sees them.
 */
import "server-only";
import { env } from "@/lib/env";

const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** APP_URL without a trailing slash, when set. */
export function configuredOrigin(): string | undefined {
  return env.APP_URL?.replace(/\/+$/, "");
}

/** The origin for links shown on a page: APP_URL, else the request's Host (never X-Forwarded-Host). */
export function pageOrigin(headers: Headers): string {
  const configured = configuredOrigin();
  if (configured) return configured;
  const host = headers.get("host")?.trim() ?? "";
  const proto = headers.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${HOST.test(host) ? host : `localhost:${env.PORT}`}`;
}

/** Link to accept an invitation, under `origin`. */
export function invitationLink(origin: string, token: string): string {
  return `${origin}/invite/${token}`;
}
