/**
 * AUTH_SECRET, or in embedded mode a secret generated once into .data/auth-secret. Production with
 * PostgreSQL must set it: several instances need the same secret, so generating one would break.
 */
import { readOrCreateSecretFile, randomSecret } from "@/lib/data-dir";
import { env, isEmbedded, isProduction } from "@/lib/env";
import { ConfigError } from "@/lib/errors";
import { log } from "@/lib/log";

let cached: string | undefined;

export function authSecret(): string {
  if (cached) return cached;
  if (env.AUTH_SECRET) {
    if (env.AUTH_SECRET.length < 32) {
      throw new ConfigError("AUTH_SECRET is too short: use at least 32 characters (e.g. `openssl rand -base64 32`).");
    }
    return (cached = env.AUTH_SECRET);
  }
  if (isProduction && !isEmbedded) {
    throw new ConfigError(
      "AUTH_SECRET is not set. It is required in production with DATABASE_URL; generate one with `openssl rand -base64 32`.",
    );
  }
  const { value, created, file } = readOrCreateSecretFile("auth-secret", () => randomSecret(32));
  if (created) log.warn(`AUTH_SECRET not set: generated one into ${file} (set AUTH_SECRET to manage it yourself)`);
  return (cached = value);
}
