"use server";

/**
 * Provider card actions, for the user's own cards (scope null) or an organization's (its slug).
 * Each parses its input, loads the actor, and calls one lib/credentials service function, which
 * checks the role for org scopes. Secrets are never echoed back.
 */
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { type ActionState, failure } from "@/lib/actions";
import { requireActor } from "@/lib/auth/session";
import { parseCredentialForm } from "@/lib/credentials/form";
import type { ValidationReport } from "@/lib/credentials/save";
import { z } from "zod";
import {
  removeInScope,
  revalidateInScope,
  saveInScope,
  setDefaultInScope,
  setDeliveryInScope,
  type CredentialScope,
} from "@/lib/credentials/service";
import { shareSchema, setCredentialSharing } from "@/lib/orgs/sharing";

export type SaveCredentialState = ActionState<{ report: ValidationReport; saved: boolean }>;

function scopeOf(slug: string | null): CredentialScope {
  return slug ? { kind: "org", slug } : { kind: "user" };
}

function refresh(slug: string | null) {
  revalidatePath(slug ? `/orgs/${slug}/models` : "/agent/models");
  if (slug) revalidatePath("/agent/models");
}

/** Validates the card against the provider and stores it when it checks out. */
export async function saveCredentialAction(slug: string | null, formData: FormData): Promise<SaveCredentialState> {
  try {
    const actor = await requireActor();
    const parsed = parseCredentialForm(formData);
    if (!parsed.ok)
      return { ok: false, code: "invalid_request", error: "Please correct the highlighted fields.", fieldErrors: parsed.fieldErrors };
    const result = await saveInScope(await getDb(), actor, scopeOf(slug), parsed);
    if (!result.saved)
      return { ok: false, code: result.report.outcome, error: result.report.title, data: { report: result.report, saved: false } };
    refresh(slug);
    return { ok: true, data: { report: result.report, saved: true } };
  } catch (error) {
    return failure(error);
  }
}

export async function setDefaultAction(slug: string | null, credentialId: string): Promise<ActionState> {
  try {
    await setDefaultInScope(await getDb(), await requireActor(), scopeOf(slug), String(credentialId));
    refresh(slug);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

export async function removeCredentialAction(slug: string | null, credentialId: string): Promise<ActionState> {
  try {
    await removeInScope(await getDb(), await requireActor(), scopeOf(slug), String(credentialId));
    refresh(slug);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

/** "Re-validate": checks the stored configuration with the provider again and records the outcome. */
export async function revalidateCredentialAction(
  slug: string | null,
  credentialId: string,
): Promise<ActionState<{ report: ValidationReport }>> {
  try {
    const report = await revalidateInScope(await getDb(), await requireActor(), scopeOf(slug), String(credentialId));
    refresh(slug);
    return { ok: true, data: { report } };
  } catch (error) {
    return failure(error);
  }
}

/** Who an org credential is shared with: every member, or the selected ones. */
export async function shareCredentialAction(slug: string, credentialId: string, input: unknown): Promise<ActionState> {
  try {
    const parsed = shareSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "invalid_request", error: parsed.error.issues[0]?.message ?? "Invalid sharing." };
    await setCredentialSharing(await getDb(), await requireActor(), String(slug), String(credentialId), parsed.data);
    refresh(slug);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

const deliverySchema = z.enum(["key", "gateway"], { error: "Choose what agents receive." });

/** "Agents receive": the key or gateway only. Org credentials: owners and admins (checked in the service). */
export async function setDeliveryAction(slug: string | null, credentialId: string, delivery: unknown): Promise<ActionState> {
  try {
    const parsed = deliverySchema.safeParse(delivery);
    if (!parsed.success)
      return { ok: false, code: "invalid_request", error: parsed.error.issues[0]?.message ?? "Choose what agents receive." };
    await setDeliveryInScope(await getDb(), await requireActor(), scopeOf(slug), String(credentialId), parsed.data);
    refresh(slug);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}
