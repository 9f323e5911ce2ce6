/**
 * Master keys for envelope encryption, from BYOK_ENCRYPTION_KEYS (`v2:<base64 32 bytes>,v1:<…>`,
 * the first active, the rest only for decrypting until rotation). In embedded mode (and in
 * development) without the variable, a key is generated once into .data/master-key; in production
 * with PostgreSQL a missing variable is a start-up error.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { readOrCreateSecretFile } from "@/lib/data-dir";
import { env, isEmbedded, isProduction } from "@/lib/env";
import { ConfigError } from "@/lib/errors";
import { log } from "@/lib/log";

export type MasterKeyring = {
  active: { version: string; key: Buffer };
  keys: ReadonlyMap<string, Buffer>;
};

const VERSION = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `v2:<base64>,v1:<base64>`; throws ConfigError naming the problem (never the key). */
export function parseMasterKeys(spec: string, variable = "BYOK_ENCRYPTION_KEYS"): MasterKeyring {
  const entries = spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError(`${variable} is empty.`);
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(":");
    const version = colon > 0 ? entry.slice(0, colon) : "";
    const material = colon > 0 ? entry.slice(colon + 1) : "";
    if (!VERSION.test(version)) {
      throw new ConfigError(`${variable}: entry ${index + 1} must look like v1:<base64 of 32 bytes>.`);
    }
    const key = Buffer.from(material, "base64");
    if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== material.replace(/=+$/, "")) {
      throw new ConfigError(`${variable}: key ${version} must be exactly 32 bytes, base64-encoded (openssl rand -base64 32).`);
    }
    if (keys.has(version)) throw new ConfigError(`${variable}: version ${version} appears twice.`);
    keys.set(version, key);
  }
  const [version, key] = keys.entries().next().value as [string, Buffer];
  return { active: { version, key }, keys };
}

export function generateMasterKeySpec(version = "v1"): string {
  return `${version}:${randomBytes(32).toString("base64")}`;
}

let cached: MasterKeyring | undefined;

/** The process's keyring (memoised). */
export function masterKeyring(): MasterKeyring {
  if (cached) return cached;
  if (env.BYOK_ENCRYPTION_KEYS) return (cached = parseMasterKeys(env.BYOK_ENCRYPTION_KEYS));
  if (isProduction && !isEmbedded) {
    throw new ConfigError(
      "BYOK_ENCRYPTION_KEYS is not set. It is required in production with DATABASE_URL: set it to v1:<output of `openssl rand -base64 32`>.",
    );
  }
  const { value, created, file } = readOrCreateSecretFile("master-key", () => generateMasterKeySpec());
  if (created) {
    log.warn(
      `BYOK_ENCRYPTION_KEYS not set: generated a master key into ${file}. Back it up: without it, stored provider keys cannot be decrypted.`,
    );
  }
  return (cached = parseMasterKeys(value, file));
}
