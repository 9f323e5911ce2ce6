"use server";

/** Agent token actions, personal (scope null) or for an organization (its slug; owners and admins). */
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { type ActionState, failure, parseForm } from "@/lib/actions";
import { requireActor } from "@/lib/auth/session";
import { createTokenSchema } from "@/lib/tokens/queries";
import { createTokenInScope, revokeTokenInScope } from "@/lib/tokens/service";

export type CreateTokenState = ActionState<{ token: string; name: string }>;

const scopeOf = (slug: string | null) => (slug ? ({ kind: "org", slug } as const) : ({ kind: "user" } as const));
const pageOf = (slug: string | null) => (slug ? `/orgs/${slug}/tokens` : "/agent/tokens");

/** Creates a token. It is in this answer once and stored only as a hash. */
export async function createTokenAction(
  slug: string | null,
  _prev: CreateTokenState | null,
  formData: FormData,
): Promise<CreateTokenState> {
  try {
    const actor = await requireActor();
    const parsed = parseForm(createTokenSchema, formData, ["name", "expiresInDays", "scopeOrg"]);
    if (!parsed.ok) return parsed.state;
    const { token, view } = await createTokenInScope(await getDb(), actor, scopeOf(slug), parsed.data);
    revalidatePath(pageOf(slug));
    return { ok: true, data: { token, name: view.name } };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeTokenAction(slug: string | null, tokenId: string): Promise<ActionState> {
  try {
    await revokeTokenInScope(await getDb(), await requireActor(), scopeOf(slug), String(tokenId));
    revalidatePath(pageOf(slug));
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}
