"use server";

/** Agent token actions, personal (scope null) or for an organization (its slug; owners and admins). */
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/actions";
import { form, id, previousState, scopeSlug, userAction } from "@/lib/safe-action";
import { createTokenSchema } from "@/lib/tokens/queries";
import { createTokenInScope, revokeTokenInScope } from "@/lib/tokens/service";

export type CreateTokenState = ActionState<{ token: string; name: string }>;

const scopeOf = (slug: string | null) => (slug ? ({ kind: "org", slug } as const) : ({ kind: "user" } as const));
const pageOf = (slug: string | null) => (slug ? `/orgs/${slug}/tokens` : "/agent/tokens");

/** Creates a token. It is in this answer once and stored only as a hash. */
export const createTokenAction = userAction(
  [scopeSlug, previousState, form(createTokenSchema, ["name", "expiresInDays", "scopeOrg"])],
  async ({ db, actor }, slug, _prev, input): Promise<CreateTokenState> => {
    const { token, view } = await createTokenInScope(db, actor, scopeOf(slug), input);
    revalidatePath(pageOf(slug));
    return { ok: true, data: { token, name: view.name } };
  },
);

export const revokeTokenAction = userAction([scopeSlug, id], async ({ db, actor }, slug, tokenId): Promise<ActionState> => {
  await revokeTokenInScope(db, actor, scopeOf(slug), tokenId);
  revalidatePath(pageOf(slug));
  return { ok: true };
});
