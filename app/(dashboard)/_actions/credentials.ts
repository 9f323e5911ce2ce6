"use server";

/**
 * Provider card actions, for the user's own cards (scope null) or an organization's (its slug).
 * Each calls one lib/credentials service function, which checks the role for org scopes. Secrets
 * are never echoed back.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import { credentialFormSchema } from "@/lib/credentials/form";
import type { ValidationReport } from "@/lib/credentials/save";
import {
  removeInScope,
  revalidateInScope,
  saveInScope,
  setDefaultInScope,
  setDeliveryInScope,
  type CredentialScope,
} from "@/lib/credentials/service";
import { setCredentialSharing, shareSchema } from "@/lib/orgs/sharing";
import { form, id, scopeSlug, slug, userAction } from "@/lib/safe-action";

export type SaveCredentialState = ActionState<{ report: ValidationReport; saved: boolean }>;

function scopeOf(slug: string | null): CredentialScope {
  return slug ? { kind: "org", slug } : { kind: "user" };
}

function refresh(slug: string | null) {
  revalidatePath(slug ? `/orgs/${slug}/models` : "/agent/models");
  if (slug) revalidatePath("/agent/models");
}

/** Validates the card against the provider and stores it when it checks out. */
export const saveCredentialAction = userAction(
  [scopeSlug, form(credentialFormSchema)],
  async ({ db, actor }, slug, card): Promise<SaveCredentialState> => {
    const result = await saveInScope(db, actor, scopeOf(slug), card);
    if (!result.saved)
      return { ok: false, code: result.report.outcome, error: result.report.title, data: { report: result.report, saved: false } };
    refresh(slug);
    return { ok: true, data: { report: result.report, saved: true } };
  },
);

export const setDefaultAction = userAction([scopeSlug, id], async ({ db, actor }, slug, credentialId): Promise<ActionState> => {
  await setDefaultInScope(db, actor, scopeOf(slug), credentialId);
  refresh(slug);
  return { ok: true };
});

export const removeCredentialAction = userAction([scopeSlug, id], async ({ db, actor }, slug, credentialId): Promise<ActionState> => {
  await removeInScope(db, actor, scopeOf(slug), credentialId);
  refresh(slug);
  return { ok: true };
});

/** "Re-validate": checks the stored configuration with the provider again and records the outcome. */
export const revalidateCredentialAction = userAction(
  [scopeSlug, id],
  async ({ db, actor }, slug, credentialId): Promise<ActionState<{ report: ValidationReport }>> => {
    const report = await revalidateInScope(db, actor, scopeOf(slug), credentialId);
    refresh(slug);
    return { ok: true, data: { report } };
  },
);

/** Who an org credential is shared with: every member, or the selected ones. */
export const shareCredentialAction = userAction(
  [slug, id, shareSchema],
  async ({ db, actor }, slug, credentialId, sharing): Promise<ActionState> => {
    await setCredentialSharing(db, actor, slug, credentialId, sharing);
    refresh(slug);
    return { ok: true };
  },
);

const deliverySchema = z.enum(["key", "gateway"], { error: "Choose what agents receive." });

/** "Agents receive": the key or gateway only. Org credentials: owners and admins (checked in the service). */
export const setDeliveryAction = userAction(
  [scopeSlug, id, deliverySchema],
  async ({ db, actor }, slug, credentialId, delivery): Promise<ActionState> => {
    await setDeliveryInScope(db, actor, scopeOf(slug), credentialId, delivery);
    refresh(slug);
    return { ok: true };
  },
);
