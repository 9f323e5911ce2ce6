"use server";

/**
 * Budget actions: in an organization (its slug; owners and admins) on a credential, a member or
 * an org token; with slug null, on the user's own token. Each calls one service function.
 */
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/actions";
import { budgetTargetSchema, limitsSchema } from "@/lib/budgets/schema";
import { removeBudget, setBudget } from "@/lib/budgets/service";
import { form, previousState, scopeSlug, userAction } from "@/lib/safe-action";

const refresh = (slug: string | null) => {
  revalidatePath(slug ? `/orgs/${slug}/budgets` : "/agent/budgets");
  // The banner on every dashboard page may change.
  revalidatePath("/", "layout");
};

export const setBudgetAction = userAction(
  [scopeSlug, budgetTargetSchema, previousState, form(limitsSchema, ["requestLimit", "tokenLimit"])],
  async ({ db, actor }, slug, target, _prev, limits): Promise<ActionState> => {
    await setBudget(db, actor, slug, target, limits);
    refresh(slug);
    return { ok: true, message: "Budget saved" };
  },
);

export const removeBudgetAction = userAction([scopeSlug, budgetTargetSchema], async ({ db, actor }, slug, target): Promise<ActionState> => {
  await removeBudget(db, actor, slug, target);
  refresh(slug);
  return { ok: true, message: "Budget removed" };
});
