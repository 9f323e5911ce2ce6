/** Creating an account from the sign-up form: limited per client address, then one argon2 hash. */
import "server-only";
import type { Database } from "@/db/client";
import { limitSignUp } from "@/lib/rate-limits/expensive";
import type { SignUpInput } from "./schemas";
import { createUser, type PublicUser } from "./users";

/** Throws AppError: rate_limited (too many from this address), conflict (email taken), unavailable (busy). */
export async function registerAccount(db: Database, input: SignUpInput, ip: string | null): Promise<PublicUser> {
  await limitSignUp(db, ip);
  return createUser(db, input);
}
