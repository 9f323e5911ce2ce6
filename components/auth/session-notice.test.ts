import { describe, expect, it } from "vitest";
import { sessionNotice } from "./session-notice";

describe("sessionNotice", () => {
  it("knows a fixed list of reasons and never shows text from the URL", () => {
    expect(sessionNotice("session-ended")).toBe("Your session has ended. Please sign in again.");
    expect(sessionNotice("signed-out-everywhere")).toMatch(/all devices/);
    expect(sessionNotice("account-deleted")).toMatch(/deleted/);
    for (const value of ["<script>", "toString", "__proto__", ["session-ended"], undefined]) expect(sessionNotice(value)).toBeUndefined();
  });
});
