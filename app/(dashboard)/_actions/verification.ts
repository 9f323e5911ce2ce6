"use server";

/** "Resend verification email" from the dashboard banner or an invitation page. */
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/actions";
import { resendVerificationEmail } from "@/lib/auth/email-verification";
import { userAction } from "@/lib/safe-action";

export const resendVerificationAction = userAction([], async ({ db, actor }): Promise<ActionState> => {
  const { already } = await resendVerificationEmail(db, actor);
  if (already) {
    revalidatePath("/", "layout");
    return { ok: true, message: "Your email address is already verified." };
  }
  return { ok: true, message: `Sent. Open the link in the email we just sent to ${actor.email}.` };
});
