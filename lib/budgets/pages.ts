/**
 * What the budgets pages and the banner read: each thing that may have a budget, its limits and
 * this month's counters. `budgetWarnings` lists the budgets at 80 % or more this month that
 * concern a user: their org's (as owner or admin), their own member budget, their tokens'.
 */
import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { agentTokens, budgetCounters, budgets, memberships, organizations, providerCredentials, users } from "@/db/schema";
import { requireOrgPermission } from "@/lib/orgs/access";
import { getProvider } from "@/lib/providers/catalog";
import { monthOf } from "./month";
import { budgetTarget } from "./notify";

export type BudgetView = { id: string; requestLimit: number | null; tokenLimit: number | null; requests: number; tokens: number };

export type BudgetRow = {
  scope: "credential" | "member" | "token";
  id: string;
  label: string;
  detail: string;
  budget: BudgetView | null;
};

export type OrgBudgetsPage = { month: string; credentials: BudgetRow[]; members: BudgetRow[]; tokens: BudgetRow[] };

const budgetColumns = {
  budgetId: budgets.id,
  requestLimit: budgets.requestLimit,
  tokenLimit: budgets.tokenLimit,
  requests: budgetCounters.requests,
  tokens: budgetCounters.tokens,
};

type BudgetColumns = {
  budgetId: string | null;
  requestLimit: number | null;
  tokenLimit: number | null;
  requests: number | null;
  tokens: number | null;
};

const counterJoin = (month: string) => and(eq(budgetCounters.budgetId, budgets.id), eq(budgetCounters.month, sql`${month}::date`));

function viewOf(row: BudgetColumns): BudgetView | null {
  if (!row.budgetId) return null;
  return {
    id: row.budgetId,
    requestLimit: row.requestLimit === null ? null : Number(row.requestLimit),
    tokenLimit: row.tokenLimit === null ? null : Number(row.tokenLimit),
    requests: Number(row.requests ?? 0),
    tokens: Number(row.tokens ?? 0),
  };
}

/** The org's credentials, members and tokens with their budgets (owners and admins). */
export async function loadOrgBudgets(db: Database, userId: string, slug: string): Promise<OrgBudgetsPage> {
  const { org } = await requireOrgPermission(db, slug, userId, "manage_credentials");
  const month = monthOf();
  const credentials = await db
    .select({
      id: providerCredentials.id,
      provider: providerCredentials.provider,
      model: providerCredentials.model,
      delivery: providerCredentials.delivery,
      ...budgetColumns,
    })
    .from(providerCredentials)
    .leftJoin(budgets, and(eq(budgets.scope, "credential"), eq(budgets.credentialId, providerCredentials.id)))
    .leftJoin(budgetCounters, counterJoin(month))
    .where(eq(providerCredentials.ownerOrgId, org.id))
    .orderBy(asc(providerCredentials.provider), asc(providerCredentials.model));
  const members = await db
    .select({ id: users.id, name: users.name, email: users.email, role: memberships.role, ...budgetColumns })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(budgets, and(eq(budgets.scope, "member"), eq(budgets.orgId, org.id), eq(budgets.userId, users.id)))
    .leftJoin(budgetCounters, counterJoin(month))
    .where(eq(memberships.orgId, org.id))
    .orderBy(asc(users.name));
  const tokens = await db
    .select({ id: agentTokens.id, name: agentTokens.name, lastFour: agentTokens.lastFour, ...budgetColumns })
    .from(agentTokens)
    .leftJoin(budgets, and(eq(budgets.scope, "token"), eq(budgets.tokenId, agentTokens.id)))
    .leftJoin(budgetCounters, counterJoin(month))
    .where(and(eq(agentTokens.ownerOrgId, org.id), isNull(agentTokens.revokedAt)))
    .orderBy(asc(agentTokens.name));
  return {
    month,
    credentials: credentials.map((c) => ({
      scope: "credential",
      id: c.id,
      label: `${getProvider(c.provider)?.name ?? c.provider} (${c.model})`,
      detail: c.delivery === "gateway" ? "Gateway only" : "Agents receive the key: only gateway calls are metered",
      budget: viewOf(c),
    })),
    members: members.map((m) => ({ scope: "member", id: m.id, label: m.name, detail: `${m.email} · ${m.role}`, budget: viewOf(m) })),
    tokens: tokens.map((t) => ({ scope: "token", id: t.id, label: t.name, detail: `byok_…${t.lastFour}`, budget: viewOf(t) })),
  };
}

export type UserBudgetsPage = { month: string; tokens: BudgetRow[]; memberBudgets: (BudgetRow & { orgName: string })[] };

/** The user's own (personal) tokens with their budgets, and the member budgets set on them in their organizations (read-only). */
export async function loadUserBudgets(db: Database, userId: string): Promise<UserBudgetsPage> {
  const month = monthOf();
  const tokens = await db
    .select({ id: agentTokens.id, name: agentTokens.name, lastFour: agentTokens.lastFour, ...budgetColumns })
    .from(agentTokens)
    .leftJoin(budgets, and(eq(budgets.scope, "token"), eq(budgets.tokenId, agentTokens.id)))
    .leftJoin(budgetCounters, counterJoin(month))
    .where(and(eq(agentTokens.ownerUserId, userId), isNull(agentTokens.revokedAt)))
    .orderBy(asc(agentTokens.name));
  const mine = await db
    .select({ orgName: organizations.name, ...budgetColumns })
    .from(budgets)
    .innerJoin(organizations, eq(organizations.id, budgets.orgId))
    .innerJoin(memberships, and(eq(memberships.orgId, budgets.orgId), eq(memberships.userId, userId)))
    .leftJoin(budgetCounters, counterJoin(month))
    .where(and(eq(budgets.scope, "member"), eq(budgets.userId, userId)))
    .orderBy(asc(organizations.name));
  return {
    month,
    tokens: tokens.map((t) => ({ scope: "token", id: t.id, label: t.name, detail: `byok_…${t.lastFour}`, budget: viewOf(t) })),
    memberBudgets: mine.map((m) => ({
      scope: "member",
      id: m.budgetId,
      label: `Your use of ${m.orgName}’s providers`,
      detail: "Set by the organization’s owners and admins",
      orgName: m.orgName,
      budget: viewOf(m),
    })),
  };
}

export type BudgetWarning = {
  budgetId: string;
  target: string;
  orgName: string | null;
  percent: number;
  unit: "requests" | "tokens";
  href: string;
};

type WarningRow = {
  budget_id: string;
  scope: string;
  org_slug: string | null;
  org_name: string | null;
  request_limit: number | string | null;
  token_limit: number | string | null;
  requests: number | string;
  tokens: number | string;
  provider: string | null;
  model: string | null;
  user_name: string | null;
  token_name: string | null;
  manages: boolean;
};

/** Budgets at 80 % or more this month that concern `userId`, highest first. */
export async function budgetWarnings(db: Database, userId: string): Promise<BudgetWarning[]> {
  const month = monthOf();
  const result = await db.execute(sql`
    select b.id as budget_id, b.scope, o.slug as org_slug, o.name as org_name, b.request_limit, b.token_limit,
      bc.requests, bc.tokens, c.provider, c.model, u.name as user_name, t.name as token_name,
      coalesce(m.role in ('owner', 'admin'), false) as manages
    from budget_counters bc
    join budgets b on b.id = bc.budget_id
    left join organizations o on o.id = b.org_id
    left join memberships m on m.org_id = b.org_id and m.user_id = ${userId}
    left join provider_credentials c on c.id = b.credential_id
    left join users u on u.id = b.user_id
    left join agent_tokens t on t.id = b.token_id
    where bc.month = ${month}::date
      and ((b.request_limit is not null and bc.requests * 5 >= b.request_limit * 4)
        or (b.token_limit is not null and bc.tokens * 5 >= b.token_limit * 4))
      and ((b.org_id is not null and m.role in ('owner', 'admin'))
        or (b.scope = 'member' and b.user_id = ${userId} and m.user_id is not null)
        or (b.scope = 'token' and t.owner_user_id = ${userId} and t.revoked_at is null))`);
  const rows = ((result as unknown as { rows?: WarningRow[] }).rows ?? (result as unknown as WarningRow[])) as WarningRow[];
  return rows
    .map((r) => {
      const ratio = (used: number | string, limit: number | string | null) => (limit === null ? 0 : Number(used) / Number(limit));
      const byRequests = ratio(r.requests, r.request_limit);
      const byTokens = ratio(r.tokens, r.token_limit);
      const unit: BudgetWarning["unit"] = byRequests >= byTokens ? "requests" : "tokens";
      const href = r.org_slug && r.manages ? `/orgs/${r.org_slug}/budgets` : "/agent/budgets";
      return {
        budgetId: r.budget_id,
        target: budgetTarget(r),
        orgName: r.org_name,
        percent: Math.floor(Math.max(byRequests, byTokens) * 100),
        unit,
        href,
      };
    })
    .sort((a, b) => b.percent - a.percent);
}
