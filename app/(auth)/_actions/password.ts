"use server";

/** Forgot password (ask for a link) and reset password (use it). Anyone may call them. */
import { headers } from "next/headers";
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import { signOut } from "@/lib/auth";
import { newPasswordSchema, requestPasswordReset, resetPasswordWithToken } from "@/lib/auth/password-reset";
import { clientIp } from "@/lib/auth/request-ip";
import { emailSchema } from "@/lib/auth/schemas";
import { form, previousState, publicAction } from "@/lib/safe-action";

const forgotSchema = z.object({ email: emailSchema });
/** A reset token from the URL: its exact shape is checked by the lib before any query. */
const resetToken = z.string().min(1).max(200);

/** Always the same answer for a well-formed email, whether or not it has an account. */
export const forgotPasswordAction = publicAction(
  [previousState, form(forgotSchema, ["email"])],
  async ({ db }, _prev, { email }): Promise<ActionState> => {
    const { message } = await requestPasswordReset(db, email, clientIp(await headers()));
    return { ok: true, message };
  },
);

/**
 * Sets the new password, then signs this browser out (its session, if any, ended with the reset)
 * and lands on /login with a success message.
 */
export const resetPasswordAction = publicAction(
  [resetToken, previousState, form(newPasswordSchema)],
  async ({ db }, token, _prev, { password }): Promise<ActionState> => {
    await resetPasswordWithToken(db, { token, password, ip: clientIp(await headers()) });
    await signOut({ redirectTo: "/login?reset=done" });
    return { ok: true }; // not reached: signOut redirects
  },
);
