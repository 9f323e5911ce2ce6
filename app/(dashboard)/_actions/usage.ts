"use server";

/** Prices on an organization's credentials (owners and admins, checked in lib/usage/prices.ts). */
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/actions";
import { form, id, previousState, slug, userAction } from "@/lib/safe-action";
import { priceModelSchema, priceSchema, removePrice, setPrice } from "@/lib/usage/prices";

const refresh = (orgSlug: string) => revalidatePath(`/orgs/${orgSlug}/usage`);

export const setPriceAction = userAction(
  [slug, previousState, form(priceSchema, ["credentialId", "model", "inputPerMillion", "outputPerMillion"])],
  async ({ db, actor }, orgSlug, _prev, input): Promise<ActionState<{ model: string }>> => {
    await setPrice(db, actor, orgSlug, input);
    refresh(orgSlug);
    return { ok: true, data: { model: input.model } };
  },
);

export const removePriceAction = userAction(
  [slug, id, priceModelSchema],
  async ({ db, actor }, orgSlug, credentialId, model): Promise<ActionState> => {
    await removePrice(db, actor, orgSlug, credentialId, model);
    refresh(orgSlug);
    return { ok: true };
  },
);
