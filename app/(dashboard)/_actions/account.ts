"use server";

/** The account page: name, password, sessions, deleting the account. Domain code in lib/auth/account.ts. */
import { revalidatePath } from "next/cache";
import { signOut } from "@/lib/auth";
import type { ActionState } from "@/lib/actions";
import { changeName, changePassword, deleteAccount, signOutEverywhere } from "@/lib/auth/account";
import { changeNameSchema, changePasswordSchema, deleteAccountSchema } from "@/lib/auth/account-schemas";
import { reissueSessionCookie } from "@/lib/auth/session-cookie";
import { form, previousState, userAction } from "@/lib/safe-action";

export const changeNameAction = userAction(
  [previousState, form(changeNameSchema, ["name"])],
  async ({ db, actor }, _prev, input): Promise<ActionState<{ name: string }>> => {
    const { name } = await changeName(db, actor.userId, input);
    revalidatePath("/", "layout");
    return { ok: true, message: "Name saved.", data: { name } };
  },
);

/** Every other session ends; this browser gets a cookie under the new session version and stays signed in. */
export const changePasswordAction = userAction(
  [previousState, form(changePasswordSchema)],
  async ({ db, actor }, _prev, input): Promise<ActionState> => {
    const { sessionVersion } = await changePassword(db, actor, input);
    await reissueSessionCookie(sessionVersion);
    return { ok: true, message: "Password changed. You were signed out on every other device." };
  },
);

/** Ends every session, this browser's too. */
export const signOutEverywhereAction = userAction([], async ({ db, actor }): Promise<ActionState> => {
  await signOutEverywhere(db, actor);
  await signOut({ redirectTo: "/login?notice=signed-out-everywhere" });
  return { ok: true };
});

export const deleteAccountAction = userAction(
  [previousState, form(deleteAccountSchema)],
  async ({ db, actor }, _prev, input): Promise<ActionState> => {
    await deleteAccount(db, actor, input);
    await signOut({ redirectTo: "/login?notice=account-deleted" });
    return { ok: true };
  },
);
