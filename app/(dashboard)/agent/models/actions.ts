"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { type ActionState, failure } from "@/lib/actions";
import { requireActionUser } from "@/lib/auth/session";
import { parseCredentialForm } from "@/lib/credentials/form";
import { removeCredential, setUserDefault } from "@/lib/credentials/queries";
import { revalidateForOwner } from "@/lib/credentials/revalidate";
import { saveProviderCredential, type ValidationReport } from "@/lib/credentials/save";
import { AppError } from "@/lib/errors";
import { userOwner } from "@/lib/owners";

const PAGE = "/agent/models";

export type SaveCredentialState = ActionState<{ report: ValidationReport; saved: boolean }>;

/** Validates the card against the provider and stores it when it checks out. Never echoes a secret. */
export async function saveCredentialAction(_prev: SaveCredentialState | null, formData: FormData): Promise<SaveCredentialState> {
  try {
    const user = await requireActionUser();
    const parsed = parseCredentialForm(formData);
    if (!parsed.ok) return { ok: false, code: "invalid_request", error: "Please correct the highlighted fields.", fieldErrors: parsed.fieldErrors };
    const result = await saveProviderCredential(await getDb(), {
      owner: userOwner(user.id),
      actorUserId: user.id,
      input: parsed.data,
      definition: parsed.definition,
    });
    if (!result.saved) {
      return { ok: false, code: result.report.outcome, error: result.report.title, data: { report: result.report, saved: false } };
    }
    revalidatePath(PAGE);
    return { ok: true, data: { report: result.report, saved: true } };
  } catch (error) {
    return failure(error);
  }
}

export async function setDefaultAction(credentialId: string): Promise<ActionState> {
  try {
    const user = await requireActionUser();
    await setUserDefault(await getDb(), user.id, credentialId);
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

export async function removeCredentialAction(credentialId: string): Promise<ActionState> {
  try {
    const user = await requireActionUser();
    const removed = await removeCredential(await getDb(), userOwner(user.id), credentialId);
    if (!removed) throw new AppError("not_found", "That provider was already removed.");
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

/** "Re-validate": checks the stored configuration with the provider again and records the outcome. */
export async function revalidateCredentialAction(credentialId: string): Promise<ActionState<{ report: ValidationReport }>> {
  try {
    const user = await requireActionUser();
    const report = await revalidateForOwner(await getDb(), userOwner(user.id), credentialId);
    revalidatePath(PAGE);
    return { ok: true, data: { report } };
  } catch (error) {
    return failure(error);
  }
}
