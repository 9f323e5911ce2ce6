/**
 * Everything /login may say on arrival, from its query: why a session ended (`?notice=`), that a
 * password was reset (`?reset=done`), why single sign-on stopped (`?error=`, ./sso-messages.ts).
 * Texts come from fixed lists: the URL picks a message, it never supplies one.
 */
import { loginNotice, type LoginNotice } from "./sso-messages";

export type { LoginNotice };

const SESSION_NOTICES = {
  "session-ended": "Your session has ended. Please sign in again.",
  "signed-out-everywhere": "You were signed out of all devices.",
  "account-deleted": "Your account was deleted. Thank you for using BYOK.",
} as const;

const RESET_DONE = "Your password was changed and every session ended. Sign in with your new password.";

/** The message for a `notice` query value, or undefined for anything not on the list. */
export function sessionNotice(value: unknown): string | undefined {
  return typeof value === "string" && Object.hasOwn(SESSION_NOTICES, value)
    ? SESSION_NOTICES[value as keyof typeof SESSION_NOTICES]
    : undefined;
}

/** The notices for /login's query, in the order they are shown. */
export function loginNotices(query: { notice?: unknown; reset?: unknown; error?: unknown }, ssoName: string): LoginNotice[] {
  const notices: LoginNotice[] = [];
  const session = sessionNotice(query.notice);
  if (session) notices.push({ tone: "info", message: session });
  if (query.reset === "done") notices.push({ tone: "success", message: RESET_DONE });
  const sso = loginNotice(query.error, ssoName);
  if (sso) notices.push(sso);
  return notices;
}
