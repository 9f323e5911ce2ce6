"use server";

/** "Verify email" on the page a verification link opens (a POST, so mail scanners' prefetches do nothing). */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import { verifyEmailWithToken } from "@/lib/auth/email-verification";
import { publicAction } from "@/lib/safe-action";

const verifyToken = z.string().min(1).max(200);

export const verifyEmailAction = publicAction([verifyToken], async ({ db }, token): Promise<ActionState<{ email: string }>> => {
  const { email } = await verifyEmailWithToken(db, token);
  revalidatePath("/", "layout");
  return { ok: true, data: { email } };
});
