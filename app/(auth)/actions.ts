"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { getDb } from "@/db/client";
import { type ActionState, echoValues, failure, parseForm } from "@/lib/actions";
import { signIn, signOut, type TooManyAttempts } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/paths";
import { clientIp } from "@/lib/auth/request-ip";
import { signInSchema, signUpSchema } from "@/lib/auth/schemas";
import { SIGN_IN_LIMITS } from "@/lib/auth/throttle";
import { registerAccount } from "@/lib/auth/sign-up";
import { BUSY_MESSAGE } from "@/lib/concurrency";
import { describeWait } from "@/lib/rate-limits/store";

const INVALID_CREDENTIALS = "Incorrect email or password.";

async function signInWith(email: string, password: string, redirectTo: string, values: Record<string, string>) {
  try {
    await signIn("credentials", { email, password, redirectTo });
    return { ok: true } as const; // not reached: signIn redirects
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === "rate_limited") {
        const retryAfter = (error as Partial<TooManyAttempts>).retryAfter ?? SIGN_IN_LIMITS.windowSeconds;
        return {
          ok: false,
          code: "rate_limited",
          error: `Too many failed sign-ins. For your security, sign-in is paused. Try again in ${describeWait(retryAfter)}.`,
          retryAfter,
          values,
        } as const;
      }
      if (code === "unavailable") return { ok: false, code: "unavailable", error: BUSY_MESSAGE, retryAfter: 5, values } as const;
      return { ok: false, code: "invalid_credentials", error: INVALID_CREDENTIALS, values } as const;
    }
    return failure(error, values);
  }
}

export async function signInAction(_prev: ActionState | null, formData: FormData): Promise<ActionState> {
  const values = echoValues(formData, ["email", "callbackUrl"]);
  const parsed = parseForm(signInSchema, formData, ["email", "callbackUrl"]);
  if (!parsed.ok) return parsed.state;
  const redirectTo = safeCallbackPath(formData.get("callbackUrl"));
  return signInWith(parsed.data.email, parsed.data.password, redirectTo, values);
}

export async function signUpAction(_prev: ActionState | null, formData: FormData): Promise<ActionState> {
  const echo = ["name", "email"] as const;
  const parsed = parseForm(signUpSchema, formData, echo);
  if (!parsed.ok) return parsed.state;
  const values = echoValues(formData, echo);
  try {
    await registerAccount(await getDb(), parsed.data, clientIp(await headers()));
  } catch (error) {
    return failure(error, values);
  }
  return signInWith(parsed.data.email, parsed.data.password, safeCallbackPath(formData.get("callbackUrl")), values);
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
