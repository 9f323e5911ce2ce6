/** Creating, listing and revoking agent tokens; all filtered by owner. */
import "server-only";
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { agentTokens, users } from "@/db/schema";
import { isUuid, ownedBy, ownerColumns, type Owner } from "@/lib/owners";
import { generateToken } from "./token-format";

export type TokenView = {
  id: string;
  name: string;
  scopeOrgId: string | null;
  lastFour: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

const viewColumns = {
  id: agentTokens.id,
  name: agentTokens.name,
  scopeOrgId: agentTokens.scopeOrgId,
  lastFour: agentTokens.lastFour,
  createdAt: agentTokens.createdAt,
  lastUsedAt: agentTokens.lastUsedAt,
  expiresAt: agentTokens.expiresAt,
  revokedAt: agentTokens.revokedAt,
};

export const EXPIRY_CHOICES = ["never", "7", "30", "90", "365"] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

/** When the form says nothing: org tokens expire in 90 days, personal tokens never (as before). */
export const defaultExpiry = (ownerType: Owner["type"]): ExpiryChoice => (ownerType === "org" ? "90" : "never");

export const createTokenSchema = z.object({
  name: z
    .string({ error: "Give the token a name." })
    .trim()
    .min(1, "Give the token a name, like “ci-agent”.")
    .max(80, "Keep the name under 80 characters."),
  /** Missing: the scope's default (see defaultExpiry). */
  expiresInDays: z.enum(EXPIRY_CHOICES, { error: "Choose when the token expires." }).optional(),
  /** Personal tokens: the organization whose default applies when the user has none ("" = none). */
  scopeOrg: z
    .string()
    .optional()
    .transform((v) => v || undefined),
});

export type CreateTokenInput = Omit<z.infer<typeof createTokenSchema>, "scopeOrg"> & { scopeOrg?: string };

export async function createToken(
  db: Executor,
  owner: Owner,
  input: CreateTokenInput & { actorUserId: string; scopeOrgId?: string | null },
): Promise<{ token: string; view: TokenView }> {
  const { token, hash, lastFour } = generateToken();
  const expiresInDays = input.expiresInDays ?? defaultExpiry(owner.type);
  const expiresAt = expiresInDays === "never" ? null : new Date(Date.now() + Number(expiresInDays) * 86_400_000);
  const [view] = await db
    .insert(agentTokens)
    .values({
      ...ownerColumns(owner),
      createdByUserId: input.actorUserId,
      scopeOrgId: owner.type === "user" ? (input.scopeOrgId ?? null) : null,
      name: input.name,
      tokenHash: hash,
      lastFour,
      expiresAt,
    })
    .returning(viewColumns);
  return { token, view: view! };
}

export type TokenState = "active" | "expired" | "revoked";

/** SQL: the token `t` is neither revoked nor expired, by the database's clock. */
export function isActiveToken(t = agentTokens): SQL {
  return sql`(${t.revokedAt} is null and (${t.expiresAt} is null or ${t.expiresAt} > now()))`;
}

export type ListedToken = TokenView & {
  state: TokenState;
  /** Who created it (for org tokens); both null when their account no longer exists. */
  createdByUserId: string | null;
  createdByName: string | null;
};

/** The owner's tokens, newest first, each with its state as of the database's clock and its creator's name. */
export async function listTokens(db: Executor, owner: Owner): Promise<ListedToken[]> {
  return db
    .select({
      ...viewColumns,
      state: sql<TokenState>`case when ${agentTokens.revokedAt} is not null then 'revoked'
        when ${agentTokens.expiresAt} <= now() then 'expired' else 'active' end`,
      createdByUserId: agentTokens.createdByUserId,
      createdByName: users.name,
    })
    .from(agentTokens)
    .leftJoin(users, eq(users.id, agentTokens.createdByUserId))
    .where(ownedBy(agentTokens, owner))
    .orderBy(desc(agentTokens.createdAt));
}

/**
 * Revokes `orgId`'s active tokens that `userId` created (they are leaving, or losing admin): part
 * of the membership change's transaction. Returns how many were revoked.
 */
export async function revokeOrgTokensCreatedBy(db: Executor, orgId: string, userId: string): Promise<number> {
  const rows = await db
    .update(agentTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(agentTokens.ownerOrgId, orgId), eq(agentTokens.createdByUserId, userId), isActiveToken()))
    .returning({ id: agentTokens.id });
  return rows.length;
}

/** Revokes at once: the next request with this token is refused. False when not found (or not the owner's). */
export async function revokeToken(db: Executor, owner: Owner, tokenId: string): Promise<boolean> {
  if (!isUuid(tokenId)) return false;
  const rows = await db
    .update(agentTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(agentTokens.id, tokenId), ownedBy(agentTokens, owner), isNull(agentTokens.revokedAt)))
    .returning({ id: agentTokens.id });
  return rows.length > 0;
}
