import { describe, expect, it } from "vitest";
import { loginNotice } from "./sso-messages";

describe("/login messages", () => {
  it("explains the link rule with the provider's name", () => {
    expect(loginNotice("sso_link_required", "Acme SSO")).toEqual({
      tone: "info",
      message: "An account with this email exists. Sign in with your password once to link Acme SSO.",
    });
  });

  it("turns Auth.js error types and unknown values into readable text, never the raw value", () => {
    for (const error of ["OAuthCallbackError", "AccessDenied", "Configuration", "<script>alert(1)</script>", "CallbackRouteError"]) {
      const notice = loginNotice(error, "Acme SSO");
      expect(notice?.tone).toBe("error");
      expect(notice?.message).not.toContain(error);
    }
    expect(loginNotice(undefined, "SSO")).toBeUndefined();
    expect(loginNotice(["a", "b"], "SSO")).toBeUndefined();
  });
});
