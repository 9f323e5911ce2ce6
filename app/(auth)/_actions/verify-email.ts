"use server";

/** "Verify email" on the page a verification link opens (a POST, so mail scanners' prefetches do nothing). */
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import { verifyEmailWithToken } from "@/lib/auth/email-verification";
import { publicAction } from "@/lib/safe-action";

const verifyToken = z.string().min(1).max(200);

export const verifyEmailAction = publicAction([verifyToken], async ({ db }, token): Promise<ActionState<{ email: string }>> => {
  // No revalidatePath: it would re-render this page as "already verified" over the success message;
  // the dashboard is dynamic and reads the user afresh on the way there.
  const { email } = await verifyEmailWithToken(db, token);
  return { ok: true, data: { email } };
});
