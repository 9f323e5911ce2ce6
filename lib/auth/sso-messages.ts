/**
 * What /login says for `?error=…`: our own SSO refusals (`sso_<reason>`, from the signIn callback)
 * and Auth.js's error types (it sends every failed sign-in to /login?error=<type>). Never the
 * error's own text: that is for the logs.
 */
import type { SsoRefusal } from "./oidc";

export const ssoRefusalCode = (reason: SsoRefusal) => `sso_${reason}`;

export type LoginNotice = { tone: "error" | "info" | "success"; message: string };

/** The message for an `error` query value, or undefined when there is none. */
export function loginNotice(error: unknown, providerName: string): LoginNotice | undefined {
  if (typeof error !== "string" || error === "") return undefined;
  const name = providerName;
  switch (error) {
    case "sso_link_required":
      return { tone: "info", message: `An account with this email exists. Sign in with your password once to link ${name}.` };
    case "sso_email_unverified":
      return {
        tone: "error",
        message: `${name} did not confirm that your email address is verified, so BYOK cannot use it. Verify your email with ${name}, then try again.`,
      };
    case "sso_email_missing":
      return { tone: "error", message: `${name} did not share an email address, so BYOK cannot sign you in with it.` };
    case "sso_domain_not_allowed":
      return {
        tone: "error",
        message: `Your email domain is not allowed to sign in with ${name} here. Use an address of your organization.`,
      };
    case "sso_identity_conflict":
      return {
        tone: "error",
        message: `An account with this email is linked to a different ${name} identity. Ask your administrator for help.`,
      };
    case "sso_unavailable":
      return { tone: "error", message: `Signing in with ${name} is not available right now. Try again in a moment.` };
    case "OAuthCallbackError":
      return { tone: "error", message: `Signing in with ${name} was cancelled or did not complete. Try again.` };
    case "AccessDenied":
      return { tone: "error", message: `Signing in with ${name} was refused. Try again, or sign in with your password.` };
    case "Configuration":
      return {
        tone: "error",
        message: "Sign-in could not be completed: the identity provider could not be reached or is not set up correctly. Try again later.",
      };
    default:
      return { tone: "error", message: "Sign-in could not be completed. Try again." };
  }
}
