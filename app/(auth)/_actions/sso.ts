"use server";

/** Starts single sign-on: off to the identity provider, back to the page the user wanted afterwards. */
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import { signIn } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/paths";
import { OIDC_PROVIDER_ID, ssoSettings } from "@/lib/auth/sso-settings";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { form, previousState, publicAction } from "@/lib/safe-action";

const startSsoSchema = z.object({ callbackUrl: z.string().max(2048).optional() });

export const startSsoAction = publicAction([previousState, form(startSsoSchema)], async (_ctx, _prev, input): Promise<ActionState> => {
  const sso = ssoSettings();
  if (!sso) throw new AppError("not_found", "Single sign-on is not configured.");
  let target: string;
  try {
    target = await signIn(OIDC_PROVIDER_ID, { redirectTo: safeCallbackPath(input.callbackUrl), redirect: false });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    log.warn("sso could not start", { error: error.type });
    target = "/login?error=Configuration";
  }
  // Auth.js answers with the provider's authorization URL, or with /login?error=… when discovery
  // failed (the provider is down, or OIDC_ISSUER does not match its discovery document).
  if (new URL(target, "http://byok.invalid").pathname === "/login") {
    throw new AppError("unavailable", `${sso.name} cannot be reached right now. Try again in a moment, or sign in with your password.`);
  }
  redirect(target);
});
