/** Accounts: create a user, check a sign-in, load a user. Callers pass the database first. */
import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "./password";
import type { SignInInput, SignUpInput } from "./schemas";

/** A user as the app sees them: never the password hash. */
export type PublicUser = {
  id: string;
  name: string;
  email: string;
  /** When the email was verified (a verification link or a verified SSO claim); null when never. */
  emailVerifiedAt: Date | null;
  /** The session version cookies must carry (see lib/auth/session.ts). */
  sessionVersion: number;
};

/** The columns of a PublicUser, for selects. */
export const publicColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  emailVerifiedAt: users.emailVerifiedAt,
  sessionVersion: users.sessionVersion,
};

const emailTaken = () =>
  new AppError("conflict", "An account with this email already exists.", {
    fieldErrors: { email: "An account with this email already exists. Sign in instead?" },
  });

/** Creates an account. A taken email (any letter case) is a field error on `email`. */
export async function createUser(db: Executor, input: SignUpInput): Promise<PublicUser> {
  const existing = await findUserByEmail(db, input.email);
  if (existing) throw emailTaken();
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db.insert(users).values({ name: input.name, email: input.email, passwordHash }).returning(publicColumns);
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db
    .select({ ...publicColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
    .limit(1);
  return row;
}

export async function getUserById(db: Executor, id: string): Promise<PublicUser | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/**
 * Checks an email and password. Unknown emails still run one argon2 verification, so both
 * failures take the same time and return the same `null`.
 */
export async function verifyCredentials(db: Executor, input: SignInInput): Promise<PublicUser | null> {
  const row = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(row?.passwordHash ?? null, input.password);
  if (!row || !ok) return null;
  const { passwordHash: _hash, ...user } = row;
  return user;
}
