/**
 * Creating an account from the sign-up form: limited per client address, then one argon2 hash,
 * then email verification (a link mailed in the background, or, without mail, trust for the first account).
 */
import "server-only";
import type { Database } from "@/db/client";
import { limitSignUp } from "@/lib/rate-limits/expensive";
import { startEmailVerification } from "./email-verification";
import type { SignUpInput } from "./schemas";
import { createUser, type PublicUser } from "./users";

/** Throws AppError: rate_limited (too many from this address), conflict (email taken), unavailable (busy). */
export async function registerAccount(db: Database, input: SignUpInput, ip: string | null): Promise<PublicUser> {
  await limitSignUp(db, ip);
  const user = await createUser(db, input);
  await startEmailVerification(db, user);
  return user;
}
