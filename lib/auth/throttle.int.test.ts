import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { SIGN_IN_LIMITS, clearSignInFailures, recordSignInFailure, signInBlockedFor } from "./throttle";

describe("sign-in throttling", () => {
  it("blocks an email after its allowed failures, for about the window", async () => {
    const db = await getDb();
    const email = "victim@example.com";
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail - 1; i++) await recordSignInFailure(db, email, `198.51.100.${i}`);
    expect(await signInBlockedFor(db, email, "203.0.113.1")).toBe(0);
    await recordSignInFailure(db, email, "198.51.100.99");
    const wait = await signInBlockedFor(db, email, "203.0.113.1");
    expect(wait).toBeGreaterThan(SIGN_IN_LIMITS.windowSeconds - 60);
    expect(wait).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowSeconds);
    // Other emails from the same place are unaffected.
    expect(await signInBlockedFor(db, "other@example.com", "203.0.113.1")).toBe(0);
  });

  it("blocks an IP that fails across many emails", async () => {
    const db = await getDb();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) await recordSignInFailure(db, `spray${i}@example.com`, "192.0.2.50");
    expect(await signInBlockedFor(db, "fresh@example.com", "192.0.2.50")).toBeGreaterThan(0);
    expect(await signInBlockedFor(db, "fresh@example.com", "192.0.2.51")).toBe(0);
  });

  it("forgets an email's failures after a successful sign-in", async () => {
    const db = await getDb();
    for (let i = 0; i < 3; i++) await recordSignInFailure(db, "forgetful@example.com", null);
    await clearSignInFailures(db, "forgetful@example.com");
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail - 1; i++) await recordSignInFailure(db, "forgetful@example.com", null);
    expect(await signInBlockedFor(db, "forgetful@example.com", null)).toBe(0);
  });
});
