/**
 * Credential operations for a scope — the signed-in user's own, or an organization's — with the
 * authorization, the rate limit and the activity entry each needs. Server actions call these and
 * nothing else.
 */
import "server-only";
import type { Database } from "@/db/client";
import { recordEvent, type Actor } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { requireOrgPermission } from "@/lib/orgs/access";
import { setOrgDefault } from "@/lib/orgs/sharing";
import { limitProviderCheck } from "@/lib/rate-limits/expensive";
import { orgOwner, userOwner, type Owner } from "@/lib/owners";
import type { ParsedCredentialForm } from "./form";
import { removeCredential, setCredentialDelivery, setUserDefault, type Delivery } from "./queries";
import { revalidateForOwner } from "./revalidate";
import { saveProviderCredential, type SaveResult, type ValidationReport } from "./save";

export type CredentialScope = { kind: "user" } | { kind: "org"; slug: string };
export type ScopeActor = Actor & { userId: string };

/** The owner a write in `scope` applies to; org writes need manage_credentials. */
async function ownerFor(db: Database, actor: ScopeActor, scope: CredentialScope): Promise<{ owner: Owner; orgId: string | null }> {
  if (scope.kind === "user") return { owner: userOwner(actor.userId), orgId: null };
  const access = await requireOrgPermission(db, scope.slug, actor.userId, "manage_credentials");
  return { owner: orgOwner(access.org.id), orgId: access.org.id };
}

const eventScope = (actor: ScopeActor, orgId: string | null) => (orgId ? { orgId } : { userId: actor.userId });

export async function saveInScope(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  form: Extract<ParsedCredentialForm, { ok: true }>,
): Promise<SaveResult> {
  const { owner, orgId } = await ownerFor(db, actor, scope);
  await limitProviderCheck(db, "save", { userId: actor.userId, ip: actor.ip ?? null });
  const result = await saveProviderCredential(db, { owner, actorUserId: actor.userId, input: form.data, definition: form.definition });
  const provider = form.data.provider;
  await recordEvent(db, {
    kind: "credential.validated",
    actor,
    scope: eventScope(actor, orgId),
    target: result.saved ? { type: "credential", id: result.credential.id } : undefined,
    outcome: result.report.outcome,
    details: { provider, model: form.data.model, saved: result.saved },
  });
  if (result.saved) {
    await recordEvent(db, {
      kind: result.credential.version === 1 ? "credential.created" : "credential.updated",
      actor,
      scope: eventScope(actor, orgId),
      target: { type: "credential", id: result.credential.id },
      details: { provider, model: result.credential.model, status: result.credential.status },
    });
  }
  return result;
}

export async function removeInScope(db: Database, actor: ScopeActor, scope: CredentialScope, credentialId: string): Promise<void> {
  const { owner, orgId } = await ownerFor(db, actor, scope);
  if (!(await removeCredential(db, owner, credentialId))) throw new AppError("not_found", "That provider was already removed.");
  await recordEvent(db, {
    kind: "credential.removed",
    actor,
    scope: eventScope(actor, orgId),
    target: { type: "credential", id: credentialId },
  });
}

export async function revalidateInScope(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  credentialId: string,
): Promise<ValidationReport> {
  const { owner, orgId } = await ownerFor(db, actor, scope);
  await limitProviderCheck(db, "revalidate", { userId: actor.userId, ip: actor.ip ?? null });
  const report = await revalidateForOwner(db, owner, credentialId);
  await recordEvent(db, {
    kind: "credential.validated",
    actor,
    scope: eventScope(actor, orgId),
    target: { type: "credential", id: credentialId },
    outcome: report.outcome,
    details: { trigger: "re-validate" },
  });
  return report;
}

/**
 * "Agents receive": the key or gateway only. Personal credentials by their owner; org credentials
 * by owners and admins (manage_credentials). Recorded in the activity log when it changes.
 */
export async function setDeliveryInScope(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  credentialId: string,
  delivery: Delivery,
): Promise<void> {
  const { owner, orgId } = await ownerFor(db, actor, scope);
  const result = await setCredentialDelivery(db, owner, credentialId, delivery);
  if (!result) throw new AppError("not_found", "That provider does not exist.");
  if (!result.changed) return;
  await recordEvent(db, {
    kind: "credential.delivery_changed",
    actor,
    scope: eventScope(actor, orgId),
    target: { type: "credential", id: credentialId },
    details: { provider: result.provider, delivery },
  });
}

/** "Set as Default": the user's own default (own or shared credential), or the org's (owners/admins). */
export async function setDefaultInScope(db: Database, actor: ScopeActor, scope: CredentialScope, credentialId: string): Promise<void> {
  if (scope.kind === "org") return setOrgDefault(db, actor, scope.slug, credentialId);
  const { provider } = await setUserDefault(db, actor.userId, credentialId);
  await recordEvent(db, {
    kind: "default.changed",
    actor,
    scope: { userId: actor.userId },
    target: { type: "credential", id: credentialId },
    details: { provider },
  });
}
