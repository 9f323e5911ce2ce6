import { describe, expect, it } from "vitest";
import { loginNotices, sessionNotice } from "./login-notices";

describe("login notices", () => {
  it("know a fixed list of session reasons and never show text from the URL", () => {
    expect(sessionNotice("session-ended")).toBe("Your session has ended. Please sign in again.");
    expect(sessionNotice("signed-out-everywhere")).toMatch(/all devices/);
    expect(sessionNotice("account-deleted")).toMatch(/deleted/);
    for (const value of ["<script>", "toString", "__proto__", ["session-ended"], undefined]) expect(sessionNotice(value)).toBeUndefined();
  });

  it("combine the query's notice, a finished reset and an SSO refusal, each with its tone", () => {
    expect(loginNotices({}, "Acme SSO")).toEqual([]);
    expect(loginNotices({ notice: "session-ended", reset: "done", error: "sso_link_required" }, "Acme SSO")).toEqual([
      { tone: "info", message: "Your session has ended. Please sign in again." },
      { tone: "success", message: expect.stringMatching(/^Your password was changed/) },
      { tone: "info", message: "An account with this email exists. Sign in with your password once to link Acme SSO." },
    ]);
    expect(loginNotices({ reset: "yes", notice: "<b>hi</b>" }, "SSO")).toEqual([]);
  });
});
