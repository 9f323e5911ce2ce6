/**
 * Budgets as people manage them: set (create or change) and remove, with the permission each
 * scope needs and an activity entry. In an organization (owners and admins): a budget on one of
 * its credentials, on a member (across its credentials) or on an org token. For oneself: a budget
 * on one's own personal token. Pages read budgets with this month's counters (./pages.ts).
 */
import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { agentTokens, budgetCounters, budgets, memberships, providerCredentials, users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { requireOrgPermission } from "@/lib/orgs/access";
import { getProvider } from "@/lib/providers/catalog";
import { monthOf } from "./month";
import { invalidateBudgetRegistry } from "./registry";
import type { BudgetTarget, Limits } from "./schema";

export type BudgetActor = { userId: string; ip?: string | null };

const notFound = () => new AppError("not_found", "That no longer exists, or you may not set its budget.");

type Resolved = { orgId: string | null; label: string; where: ReturnType<typeof and> };

/** Checks the actor may budget `target` in the org `slug` (or, with null, their own token) and names it. */
async function resolveTarget(db: Database, actor: BudgetActor, slug: string | null, target: BudgetTarget): Promise<Resolved> {
  if (slug === null) {
    if (target.scope !== "token") throw notFound();
    const [token] = await db
      .select({ name: agentTokens.name })
      .from(agentTokens)
      .where(and(eq(agentTokens.id, target.id), eq(agentTokens.ownerUserId, actor.userId), isNull(agentTokens.revokedAt)));
    if (!token) throw notFound();
    return { orgId: null, label: `token “${token.name}”`, where: and(eq(budgets.scope, "token"), eq(budgets.tokenId, target.id)) };
  }
  const { org } = await requireOrgPermission(db, slug, actor.userId, "manage_credentials");
  if (target.scope === "credential") {
    const [credential] = await db
      .select({ provider: providerCredentials.provider, model: providerCredentials.model })
      .from(providerCredentials)
      .where(and(eq(providerCredentials.id, target.id), eq(providerCredentials.ownerOrgId, org.id)));
    if (!credential) throw notFound();
    const name = getProvider(credential.provider)?.name ?? credential.provider;
    return {
      orgId: org.id,
      label: `${name} (${credential.model})`,
      where: and(eq(budgets.scope, "credential"), eq(budgets.credentialId, target.id)),
    };
  }
  if (target.scope === "member") {
    const [member] = await db
      .select({ name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, target.id)));
    if (!member) throw notFound();
    return {
      orgId: org.id,
      label: member.name,
      where: and(eq(budgets.scope, "member"), eq(budgets.orgId, org.id), eq(budgets.userId, target.id)),
    };
  }
  const [token] = await db
    .select({ name: agentTokens.name })
    .from(agentTokens)
    .where(and(eq(agentTokens.id, target.id), eq(agentTokens.ownerOrgId, org.id), isNull(agentTokens.revokedAt)));
  if (!token) throw notFound();
  return { orgId: org.id, label: `token “${token.name}”`, where: and(eq(budgets.scope, "token"), eq(budgets.tokenId, target.id)) };
}

function targetColumns(target: BudgetTarget, orgId: string | null) {
  return {
    scope: target.scope,
    orgId,
    credentialId: target.scope === "credential" ? target.id : null,
    userId: target.scope === "member" ? target.id : null,
    tokenId: target.scope === "token" ? target.id : null,
  };
}

/**
 * Sets the monthly limits of `target`'s budget (creating it), in the org `slug` or, with null, on
 * the actor's own token. Changing the limits re-arms this month's 80 % and 100 % alerts.
 */
export async function setBudget(
  db: Database,
  actor: BudgetActor,
  slug: string | null,
  target: BudgetTarget,
  limits: Limits,
): Promise<{ id: string }> {
  const resolved = await resolveTarget(db, actor, slug, target);
  const saved = await db
    .transaction(async (tx) => {
      const [existing] = await tx.select({ id: budgets.id }).from(budgets).where(resolved.where).for("update");
      if (existing) {
        await tx
          .update(budgets)
          .set({ requestLimit: limits.requestLimit, tokenLimit: limits.tokenLimit, updatedAt: new Date() })
          .where(eq(budgets.id, existing.id));
        await tx
          .update(budgetCounters)
          .set({ thresholdNotifiedAt: null, exceededNotifiedAt: null })
          .where(and(eq(budgetCounters.budgetId, existing.id), eq(budgetCounters.month, monthOf())));
        return existing;
      }
      const [created] = await tx
        .insert(budgets)
        .values({ ...targetColumns(target, resolved.orgId), ...limits, createdByUserId: actor.userId })
        .returning({ id: budgets.id });
      return created!;
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError("conflict", "This budget was just set elsewhere. Try again.");
      throw error;
    });
  invalidateBudgetRegistry();
  await recordEvent(db, {
    kind: "budget.set",
    actor,
    scope: resolved.orgId ? { orgId: resolved.orgId } : { userId: actor.userId },
    target: { type: "budget", id: saved.id },
    details: { scope: target.scope, target: resolved.label, requestLimit: limits.requestLimit, tokenLimit: limits.tokenLimit },
  });
  return saved;
}

/** Removes `target`'s budget (and its counters); not_found when it has none. */
export async function removeBudget(db: Database, actor: BudgetActor, slug: string | null, target: BudgetTarget): Promise<void> {
  const resolved = await resolveTarget(db, actor, slug, target);
  const [removed] = await db.delete(budgets).where(resolved.where).returning({ id: budgets.id });
  if (!removed) throw new AppError("not_found", "There is no budget to remove.");
  invalidateBudgetRegistry();
  await recordEvent(db, {
    kind: "budget.removed",
    actor,
    scope: resolved.orgId ? { orgId: resolved.orgId } : { userId: actor.userId },
    target: { type: "budget", id: removed.id },
    details: { scope: target.scope, target: resolved.label },
  });
}

/** This month's counters of a budget (zeros before its first request). */
export async function budgetUsage(db: Database, budgetId: string): Promise<{ requests: number; tokens: number }> {
  const [row] = await db
    .select({ requests: budgetCounters.requests, tokens: budgetCounters.tokens })
    .from(budgetCounters)
    .where(and(eq(budgetCounters.budgetId, budgetId), eq(budgetCounters.month, sql`${monthOf()}::date`)));
  return row ?? { requests: 0, tokens: 0 };
}
