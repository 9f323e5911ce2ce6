"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { type ActionState, failure, parseForm } from "@/lib/actions";
import { requireActionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { userOwner } from "@/lib/owners";
import { createToken, createTokenSchema, revokeToken } from "@/lib/tokens/queries";

const PAGE = "/agent/tokens";

export type CreateTokenState = ActionState<{ token: string; name: string }>;

/** Creates a personal agent token. The token is in this answer once and stored only as a hash. */
export async function createTokenAction(_prev: CreateTokenState | null, formData: FormData): Promise<CreateTokenState> {
  try {
    const user = await requireActionUser();
    const parsed = parseForm(createTokenSchema, formData, ["name", "expiresInDays"]);
    if (!parsed.ok) return parsed.state;
    const { token, view } = await createToken(await getDb(), userOwner(user.id), { ...parsed.data, actorUserId: user.id });
    revalidatePath(PAGE);
    return { ok: true, data: { token, name: view.name } };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeTokenAction(tokenId: string): Promise<ActionState> {
  try {
    const user = await requireActionUser();
    const revoked = await revokeToken(await getDb(), userOwner(user.id), tokenId);
    if (!revoked) throw new AppError("not_found", "That token does not exist or is already revoked.");
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}
