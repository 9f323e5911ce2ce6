"use server";

/** Sign-in, sign-up and sign-out. Auth.js answers a good password with a redirect, which passes through. */
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import { signIn, signOut, type TooManyAttempts } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/paths";
import { clientIp } from "@/lib/auth/request-ip";
import { signInSchema, signUpSchema } from "@/lib/auth/schemas";
import { registerAccount } from "@/lib/auth/sign-up";
import { SIGN_IN_LIMITS } from "@/lib/auth/throttle";
import { BUSY_MESSAGE } from "@/lib/concurrency";
import { describeWait } from "@/lib/rate-limits/store";
import { form, previousState, publicAction } from "@/lib/safe-action";

const INVALID_CREDENTIALS = "Incorrect email or password.";

/** The hidden "callbackUrl" field: a same-origin path, else the default page (never a failure). */
const callbackUrl = z
  .string()
  .optional()
  .transform((value) => safeCallbackPath(value));
const signInForm = signInSchema.extend({ callbackUrl });
const signUpForm = signUpSchema.extend({ callbackUrl });

/** Signs in (Auth.js redirects on success); a refused attempt becomes the form's state, `values` refilling it. */
async function signInWith(email: string, password: string, redirectTo: string, values: Record<string, string>): Promise<ActionState> {
  try {
    await signIn("credentials", { email, password, redirectTo });
    return { ok: true }; // not reached: signIn redirects
  } catch (error) {
    unstable_rethrow(error);
    if (!(error instanceof AuthError)) throw error;
    const code = (error as AuthError & { code?: string }).code;
    if (code === "rate_limited") {
      const retryAfter = (error as Partial<TooManyAttempts>).retryAfter ?? SIGN_IN_LIMITS.windowSeconds;
      return {
        ok: false,
        code: "rate_limited",
        error: `Too many failed sign-ins. For your security, sign-in is paused. Try again in ${describeWait(retryAfter)}.`,
        retryAfter,
        values,
      };
    }
    if (code === "unavailable") return { ok: false, code: "unavailable", error: BUSY_MESSAGE, retryAfter: 5, values };
    return { ok: false, code: "invalid_credentials", error: INVALID_CREDENTIALS, values };
  }
}

export const signInAction = publicAction(
  [previousState, form(signInForm, ["email", "callbackUrl"])],
  async ({ values }, _prev, input): Promise<ActionState> => signInWith(input.email, input.password, input.callbackUrl, values),
);

export const signUpAction = publicAction(
  [previousState, form(signUpForm, ["name", "email"])],
  async ({ db, values }, _prev, { callbackUrl, ...account }): Promise<ActionState> => {
    await registerAccount(db, account, clientIp(await headers()));
    return signInWith(account.email, account.password, callbackUrl, values);
  },
);

/** Signs out and lands on /login. */
export const signOutAction = publicAction([], async (): Promise<ActionState> => {
  await signOut({ redirectTo: "/login" });
  return { ok: true }; // not reached: signOut redirects
});
