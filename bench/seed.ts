/**
 * Seeds N users, each with an OpenAI credential (really envelope-encrypted, AAD bound to the row,
 * status valid), a user_defaults row pointing at it, and one agent token. Multi-row INSERTs of
 * `batch` rows, one transaction per batch (`concurrency` at once); one argon2 hash shared by every
 * user (hashing is the slow part otherwise). The plaintext tokens stay in memory for the load.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { agentTokens, modelProfileEntries, modelProfiles, providerCredentials, userDefaults, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { sealSecrets, type SecretContext } from "@/lib/crypto/envelope";
import type { MasterKeyring } from "@/lib/crypto/master-keys";
import { maskSecret } from "@/lib/providers/mask";
import { generateToken } from "@/lib/tokens/token-format";
import type { SeedDb } from "./database";

export type SeedResult = {
  /** Credential ids, in the order of `tokens` (each token's owner owns that credential). */
  credentialIds: string[];
  /** Plaintext agent tokens, one per user. */
  tokens: string[];
  /** A few tokens with the API key their config must return, to check decryption end to end. */
  samples: { token: string; apiKey: string; userName: string }[];
  ms: number;
  passwordHashMs: number;
  /** Building rows (envelope encryption, token generation) vs. the rest (INSERTs not overlapped). */
  buildMs: number;
  insertMs: number;
};

const MODEL = "gpt-4o-mini";
const API_HOST = "https://api.openai.com/v1";
const SAMPLE_COUNT = 3;

export async function seedUsers(
  db: SeedDb,
  options: {
    users: number;
    batch: number;
    keyring: MasterKeyring;
    /** Batches in flight at once (Postgres: 2 overlaps building the next batch with the database's work). */
    concurrency: number;
    /** agent_tokens.last_used_at for every token (default: never used). */
    lastUsedAt?: Date;
    /** The credentials' API Host (default OpenAI's), a maker of their keys, and their delivery mode. */
    apiHost?: string;
    apiKey?: () => string;
    delivery?: "key" | "gateway";
    /** Also a profile of this name per user, its one entry the user's credential (the profile gateway's bench). */
    profile?: string;
    onProgress?: (done: number) => void;
  },
): Promise<SeedResult> {
  const started = performance.now();
  const passwordHash = await hashPassword(randomBytes(16).toString("base64url"));
  const passwordHashMs = performance.now() - started;
  const validatedAt = new Date();
  const tokens: string[] = [];
  const credentialIds: string[] = [];
  const samples: SeedResult["samples"] = [];
  // Sample from the first, middle and last batch.
  const sampleAt = new Set([0, Math.floor(options.users / 2), options.users - 1]);

  let buildMs = 0;
  let done = 0;
  const inFlight = new Set<Promise<void>>();
  for (let from = 0; from < options.users; from += options.batch) {
    const buildStarted = performance.now();
    const count = Math.min(options.batch, options.users - from);
    const userRows: (typeof users.$inferInsert)[] = [];
    const credentialRows: (typeof providerCredentials.$inferInsert)[] = [];
    const defaultRows: (typeof userDefaults.$inferInsert)[] = [];
    const tokenRows: (typeof agentTokens.$inferInsert)[] = [];
    const profileRows: (typeof modelProfiles.$inferInsert)[] = [];
    const entryRows: (typeof modelProfileEntries.$inferInsert)[] = [];

    for (let i = from; i < from + count; i++) {
      const userId = randomUUID();
      const credentialId = randomUUID();
      const name = `Bench User ${i}`;
      const apiKey = options.apiKey?.() ?? `sk-bench-${randomBytes(24).toString("base64url")}`;
      const context: SecretContext = { credentialId, owner: { type: "user", id: userId }, provider: "openai" };
      const token = generateToken();

      userRows.push({ id: userId, name, email: `bench-${i}@bench.invalid`, passwordHash });
      credentialRows.push({
        id: credentialId,
        ownerUserId: userId,
        provider: "openai",
        model: MODEL,
        apiHost: options.apiHost ?? API_HOST,
        delivery: options.delivery ?? "key",
        extra: {},
        ...sealSecrets({ apiKey }, context, options.keyring),
        secretHints: { apiKey: maskSecret(apiKey) },
        status: "valid",
        statusCode: "valid",
        statusDetail: null,
        validatedAt,
        createdByUserId: userId,
      });
      defaultRows.push({ userId, credentialId });
      if (options.profile) {
        const profileId = randomUUID();
        profileRows.push({ id: profileId, ownerUserId: userId, name: options.profile, createdByUserId: userId });
        entryRows.push({ profileId, position: 0, credentialId, model: MODEL });
      }
      tokenRows.push({
        ownerUserId: userId,
        createdByUserId: userId,
        name: "bench",
        tokenHash: token.hash,
        lastFour: token.lastFour,
        lastUsedAt: options.lastUsedAt ?? null,
      });
      tokens.push(token.token);
      credentialIds.push(credentialId);
      if (sampleAt.has(i) && samples.length < SAMPLE_COUNT) samples.push({ token: token.token, apiKey, userName: name });
    }

    buildMs += performance.now() - buildStarted;
    const insert = db
      .transaction(async (tx) => {
        await tx.insert(users).values(userRows);
        await tx.insert(providerCredentials).values(credentialRows);
        await tx.insert(userDefaults).values(defaultRows);
        await tx.insert(agentTokens).values(tokenRows);
        if (profileRows.length > 0) {
          await tx.insert(modelProfiles).values(profileRows);
          await tx.insert(modelProfileEntries).values(entryRows);
        }
      })
      .then(() => {
        done += count;
        options.onProgress?.(done);
      })
      .finally(() => inFlight.delete(insert));
    inFlight.add(insert);
    insert.catch(() => {}); // a failure surfaces through race/all below, never as an unhandled rejection
    if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);

  const ms = performance.now() - started;
  return { tokens, credentialIds, samples, ms, passwordHashMs, buildMs, insertMs: ms - passwordHashMs - buildMs };
}
