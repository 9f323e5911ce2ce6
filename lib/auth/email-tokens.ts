/**
 * One-time links sent by email: verify an address (24 h), reset a password (1 h). A token is a
 * prefix plus 32 random bytes (base64url); only its SHA-256 is stored, with the address it was sent
 * to. A link works once: consuming is one UPDATE … WHERE used_at IS NULL AND expires_at > now
 * RETURNING, so two concurrent uses cannot both succeed, and only while the account still has the
 * address the link was sent to. The prefix says how the link was delivered (by email, or printed
 * for the operator) and is covered by the hash, so it cannot be changed without breaking the link.
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users, userTokens } from "@/db/schema";

export type TokenPurpose = "verify_email" | "reset_password";
/** How the link reached its holder: an email to the address (proves it), or the operator's CLI. */
export type TokenChannel = "email" | "operator";

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * 3_600_000,
  reset_password: 3_600_000,
};

const PREFIX = { verify_email: "byokv_", reset_password: "byokr_", operator_reset: "byoko_" } as const;
const TOKEN = /^byok[vro]_[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** True when `token` has the shape of a link token for `purpose` (cheap check before any query). */
export function isTokenFor(token: string, purpose: TokenPurpose): boolean {
  if (!TOKEN.test(token)) return false;
  return purpose === "verify_email" ? token.startsWith(PREFIX.verify_email) : !token.startsWith(PREFIX.verify_email);
}

/** The channel a well-formed token was issued for. */
export function channelOf(token: string): TokenChannel {
  return token.startsWith(PREFIX.operator_reset) ? "operator" : "email";
}

/**
 * Issues a link token for `userId`, bound to `email`. A new reset token ends every older unused
 * one of the user (only the newest link works). Returns the token, to put in a link once.
 */
export async function issueEmailToken(
  db: Executor,
  input: { userId: string; email: string; purpose: TokenPurpose; channel?: TokenChannel; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const prefix =
    input.purpose === "verify_email" ? PREFIX.verify_email : input.channel === "operator" ? PREFIX.operator_reset : PREFIX.reset_password;
  const token = `${prefix}${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS[input.purpose]);
  const insert = (tx: Executor) =>
    tx.insert(userTokens).values({
      userId: input.userId,
      purpose: input.purpose,
      tokenHash: hashOf(token),
      email: input.email.trim().toLowerCase(),
      createdAt: now,
      expiresAt,
    });
  if (input.purpose === "reset_password") {
    await db.transaction(async (tx) => {
      await expireUnusedTokens(tx, input.userId, "reset_password", now);
      await insert(tx);
    });
  } else {
    await insert(db);
  }
  return { token, expiresAt };
}

/** Ends every unused token of the user for `purpose` (their links then read as expired). */
export async function expireUnusedTokens(db: Executor, userId: string, purpose: TokenPurpose, now = new Date()): Promise<void> {
  await db
    .update(userTokens)
    .set({ expiresAt: now })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)));
}

export type TokenState =
  | { state: "valid"; userId: string; email: string; emailVerified: boolean }
  | { state: "used"; userId: string; email: string; emailVerified: boolean }
  | { state: "expired" }
  | { state: "invalid" };

/**
 * What a link page shows on GET, without using the link up. "invalid" covers malformed and unknown
 * tokens, and links sent to an address the account no longer has.
 */
export async function inspectEmailToken(db: Executor, token: string, purpose: TokenPurpose, now = new Date()): Promise<TokenState> {
  if (!isTokenFor(token, purpose)) return { state: "invalid" };
  const [row] = await db
    .select({
      userId: userTokens.userId,
      email: userTokens.email,
      usedAt: userTokens.usedAt,
      expiresAt: userTokens.expiresAt,
      accountEmail: users.email,
      verifiedAt: users.emailVerifiedAt,
    })
    .from(userTokens)
    .innerJoin(users, eq(users.id, userTokens.userId))
    .where(and(eq(userTokens.tokenHash, hashOf(token)), eq(userTokens.purpose, purpose)))
    .limit(1);
  if (!row || row.accountEmail.trim().toLowerCase() !== row.email) return { state: "invalid" };
  const who = { userId: row.userId, email: row.email, emailVerified: row.verifiedAt !== null };
  if (row.usedAt) return { state: "used", ...who };
  if (row.expiresAt.getTime() <= now.getTime()) return { state: "expired" };
  return { state: "valid", ...who };
}

/**
 * Uses a link up, atomically: one UPDATE that succeeds only for an unused, unexpired token whose
 * address is still the account's. Returns the user and address, or null when the link does not
 * work (call inspectEmailToken to say why). Run it in the transaction that acts on the link, so a
 * failure after it gives the link back.
 */
export async function consumeEmailToken(
  db: Executor,
  token: string,
  purpose: TokenPurpose,
  now = new Date(),
): Promise<{ userId: string; email: string; channel: TokenChannel } | null> {
  if (!isTokenFor(token, purpose)) return null;
  const [row] = await db
    .update(userTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(userTokens.tokenHash, hashOf(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, now),
        sql`exists (select 1 from ${users} where ${users.id} = ${userTokens.userId} and lower(${users.email}) = ${userTokens.email})`,
      ),
    )
    .returning({ userId: userTokens.userId, email: userTokens.email });
  return row ? { ...row, channel: channelOf(token) } : null;
}
