/** Agent tokens for a scope (personal or an organization's), with authorization and activity entries. */
import "server-only";
import type { Database } from "@/db/client";
import { recordEvent } from "@/lib/audit/events";
import type { CredentialScope, ScopeActor } from "@/lib/credentials/service";
import { AppError } from "@/lib/errors";
import { loadOrgAccess, lockMembershipWith, requireOrgPermission } from "@/lib/orgs/access";
import { orgOwner, userOwner, type Owner } from "@/lib/owners";
import { createToken, defaultExpiry, listTokens, revokeToken, type CreateTokenInput } from "./queries";

async function tokenOwner(db: Database, actor: ScopeActor, scope: CredentialScope): Promise<{ owner: Owner; orgId: string | null }> {
  if (scope.kind === "user") return { owner: userOwner(actor.userId), orgId: null };
  const access = await requireOrgPermission(db, scope.slug, actor.userId, "manage_tokens");
  return { owner: orgOwner(access.org.id), orgId: access.org.id };
}

export async function createTokenInScope(db: Database, actor: ScopeActor, scope: CredentialScope, input: CreateTokenInput) {
  const { owner, orgId } = await tokenOwner(db, actor, scope);
  let scopeOrgId: string | null = null;
  if (owner.type === "user" && input.scopeOrg) {
    // A personal token may fall back to one of the user's organizations only.
    scopeOrgId = (
      await loadOrgAccess(db, input.scopeOrg, actor.userId).catch(() => {
        throw new AppError("invalid_request", "Choose one of your organizations.", {
          fieldErrors: { scopeOrg: "Choose one of your organizations." },
        });
      })
    ).org.id;
  }
  const values = { ...input, expiresInDays: input.expiresInDays ?? defaultExpiry(owner.type), actorUserId: actor.userId, scopeOrgId };
  const created = orgId
    ? await db.transaction(async (tx) => {
        // The creator's membership stays locked until the token exists: a removal or demotion running
        // at the same time waits, then revokes this token with the others (or this one is refused).
        await lockMembershipWith(tx, orgId, actor.userId, "manage_tokens");
        return createToken(tx, owner, values);
      })
    : await createToken(db, owner, values);
  await recordEvent(db, {
    kind: "token.created",
    actor,
    scope: orgId ? { orgId } : { userId: actor.userId },
    target: { type: "token", id: created.view.id },
    details: { name: created.view.name, hint: created.view.lastFour, expires: values.expiresInDays },
  });
  return created;
}

export async function revokeTokenInScope(db: Database, actor: ScopeActor, scope: CredentialScope, tokenId: string): Promise<void> {
  const { owner, orgId } = await tokenOwner(db, actor, scope);
  if (!(await revokeToken(db, owner, tokenId))) throw new AppError("not_found", "That token does not exist or is already revoked.");
  await recordEvent(db, {
    kind: "token.revoked",
    actor,
    scope: orgId ? { orgId } : { userId: actor.userId },
    target: { type: "token", id: tokenId },
  });
}

export async function listTokensInScope(db: Database, actor: ScopeActor, scope: CredentialScope) {
  const { owner } = await tokenOwner(db, actor, scope);
  return listTokens(db, owner);
}
