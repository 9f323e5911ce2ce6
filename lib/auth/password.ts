/**
 * Password hashing with argon2id (@node-rs/argon2, OWASP parameters: 19 MiB, 2 passes, 1 lane).
 * The library's defaults are exactly those; the PHC string records them, so they can change later
 * without invalidating stored hashes.
 *
 * Each hash or verification takes 19 MiB and one of libuv's 4 pool threads (shared with DNS
 * lookups and file I/O) for ≈ 20 ms, so at most ARGON2_LIMITS.concurrent run at once per instance;
 * a burst queues for up to maxWaitMs and then gets 503 "BYOK is busy".
 */
import "server-only";
import { hash, verify } from "@node-rs/argon2";
import { processSemaphore } from "@/lib/concurrency";

export const ARGON2_LIMITS = { concurrent: 2, maxWaitMs: 5_000, maxQueue: 200 };

const slots = processSemaphore("argon2", {
  max: ARGON2_LIMITS.concurrent,
  maxWaitMs: ARGON2_LIMITS.maxWaitMs,
  maxQueue: ARGON2_LIMITS.maxQueue,
});

export function hashPassword(password: string): Promise<string> {
  return slots.run(() => hash(password));
}

/** A hash of a random string, verified against when the email is unknown so both paths cost the same. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hash(crypto.randomUUID());
    const dummy = await dummyHash;
    await slots.run(() => verify(dummy, password).catch(() => false));
    return false;
  }
  return slots.run(async () => {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  });
}
