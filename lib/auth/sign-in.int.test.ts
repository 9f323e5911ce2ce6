import { describe, expect, it } from "vitest";
import { getDb, type Executor } from "@/db/client";
import { createTestUser } from "@/test/helpers";
import { AppError } from "@/lib/errors";
import { attemptSignIn, type Verifier } from "./sign-in";
import { SIGN_IN_LIMITS } from "./throttle";
import type { SignInInput } from "./schemas";
import { verifyCredentials } from "./users";

const PASSWORD = "a long enough password"; // createTestUser's

/** The real verifier, counting how many attempts reach it. */
function countingVerifier() {
  const counter = { calls: 0 };
  const verify: Verifier = (db: Executor, input: SignInInput) => {
    counter.calls++;
    return verifyCredentials(db, input);
  };
  return { counter, verify };
}

let n = 0;
const address = () => `198.51.100.${++n}`;

describe("sign-in attempts", () => {
  it("20 parallel wrong passwords for one email: at most 5 reach verification, the rest are refused", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const { counter, verify } = countingVerifier();
    const ip = address();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attemptSignIn(db, { email: user.email, password: `wrong-${i}` }, ip, verify)),
    );
    expect(counter.calls).toBeLessThanOrEqual(SIGN_IN_LIMITS.perEmail);
    expect(counter.calls).toBeGreaterThan(0);
    const limited = outcomes.filter((o) => !o.ok && o.reason === "rate_limited");
    expect(limited).toHaveLength(20 - counter.calls);
    for (const o of limited) expect(o).toMatchObject({ retryAfter: expect.any(Number) });
    // Locked for the window, even with the right password.
    expect(await attemptSignIn(db, { email: user.email, password: PASSWORD }, address(), verify)).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });
    expect(counter.calls).toBeLessThanOrEqual(SIGN_IN_LIMITS.perEmail);
  });

  it("the right password after failures works and clears the email's count", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const ip = address();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < SIGN_IN_LIMITS.perEmail - 1; i++) {
        expect(await attemptSignIn(db, { email: user.email, password: "wrong" }, ip)).toEqual({ ok: false, reason: "invalid_credentials" });
      }
      // The 5th attempt is still allowed; success gives back the email's budget for the next round.
      expect(await attemptSignIn(db, { email: user.email, password: PASSWORD }, ip)).toMatchObject({ ok: true, user: { id: user.id } });
    }
  });

  it("a success gives back the address's point", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const ip = address();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp - 1; i++) {
      await attemptSignIn(db, { email: `nobody-${i}@example.test`, password: "wrong" }, ip);
    }
    // 19 used: each success takes the 20th point and gives it back.
    for (let i = 0; i < 3; i++) expect((await attemptSignIn(db, { email: user.email, password: PASSWORD }, ip)).ok).toBe(true);
    expect(await attemptSignIn(db, { email: "nobody-last@example.test", password: "wrong" }, ip)).toMatchObject({
      reason: "invalid_credentials",
    });
    expect(await attemptSignIn(db, { email: user.email, password: PASSWORD }, ip)).toMatchObject({ ok: false, reason: "rate_limited" });
    // Another address is unaffected.
    expect((await attemptSignIn(db, { email: user.email, password: PASSWORD }, address())).ok).toBe(true);
  });

  it("an attempt refused for its email does not use up its address's budget, and vice versa", async () => {
    const db = await getDb();
    const locked = await createTestUser(db);
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) await attemptSignIn(db, { email: locked.email, password: "wrong" }, address());
    const office = address();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp + 5; i++) {
      expect(await attemptSignIn(db, { email: locked.email, password: "wrong" }, office)).toMatchObject({ reason: "rate_limited" });
    }
    const colleague = await createTestUser(db);
    expect((await attemptSignIn(db, { email: colleague.email, password: PASSWORD }, office)).ok).toBe(true);

    const sprayer = address();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++)
      await attemptSignIn(db, { email: `spray-${i}@example.test`, password: "wrong" }, sprayer);
    const victim = await createTestUser(db);
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail + 2; i++) {
      expect(await attemptSignIn(db, { email: victim.email, password: "wrong" }, sprayer)).toMatchObject({ reason: "rate_limited" });
    }
    expect((await attemptSignIn(db, { email: victim.email, password: PASSWORD }, address())).ok).toBe(true);
  });

  it("an attempt the server could not check (busy) gives both points back", async () => {
    const db = await getDb();
    const user = await createTestUser(db);
    const ip = address();
    const busy: Verifier = async () => {
      throw new AppError("unavailable", "BYOK is busy, try again in a few seconds.");
    };
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail + 3; i++) {
      await expect(attemptSignIn(db, { email: user.email, password: PASSWORD }, ip, busy)).rejects.toMatchObject({ code: "unavailable" });
    }
    expect((await attemptSignIn(db, { email: user.email, password: PASSWORD }, ip)).ok).toBe(true);
  });

  it("requests without a known address share one bucket instead of escaping the limit", async () => {
    const db = await getDb();
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) await attemptSignIn(db, { email: `anon-${i}@example.test`, password: "wrong" }, null);
    expect(await attemptSignIn(db, { email: "anon-x@example.test", password: "wrong" }, null)).toMatchObject({ reason: "rate_limited" });
  });
});
