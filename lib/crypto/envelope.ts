/**
 * Envelope encryption of a credential's secret fields. The fields are one JSON object encrypted
 * with AES-256-GCM under a fresh random data key; the data key is wrapped (AES-256-GCM) by the
 * active master key. Both layers carry additional authenticated data binding the ciphertext to
 * the credential id, its owner and its provider, so a row copied to another owner or provider, or
 * edited, does not decrypt. Stored as base64(iv ‖ ciphertext ‖ tag).
 */
import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MasterKeyring } from "./master-keys";

export type SecretContext = {
  credentialId: string;
  owner: { type: "user" | "org"; id: string };
  provider: string;
};

export type SealedSecrets = { secretCiphertext: string; wrappedDataKey: string; keyVersion: string };

export type DecryptionFailure = "unknown_key_version" | "authentication_failed" | "malformed";

/** A credential that cannot be opened. The message is safe to show and log. */
export class DecryptionError extends Error {
  readonly reason: DecryptionFailure;
  constructor(reason: DecryptionFailure, message: string) {
    super(message);
    this.name = "DecryptionError";
    this.reason = reason;
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function aad(ctx: SecretContext, layer: "data" | "key", keyVersion?: string): Buffer {
  const parts = ["byok", layer, "v1", ctx.credentialId, `${ctx.owner.type}:${ctx.owner.id}`, ctx.provider];
  if (keyVersion) parts.push(keyVersion);
  return Buffer.from(parts.join("|"), "utf8");
}

function seal(key: Buffer, plaintext: Buffer, additional: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additional);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64");
}

function open(key: Buffer, sealed: string, additional: Buffer): Buffer {
  const bytes = Buffer.from(sealed, "base64");
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new DecryptionError("malformed", "The stored secret is malformed.");
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additional);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError(
      "authentication_failed",
      "The stored secret does not decrypt: it was altered, moved to another owner, or encrypted under a different master key.",
    );
  }
}

function unwrapDataKey(sealed: Pick<SealedSecrets, "wrappedDataKey" | "keyVersion">, ctx: SecretContext, keyring: MasterKeyring): Buffer {
  const master = keyring.keys.get(sealed.keyVersion);
  if (!master) {
    throw new DecryptionError(
      "unknown_key_version",
      `The stored secret is encrypted under master key ${sealed.keyVersion}, which is not in BYOK_ENCRYPTION_KEYS.`,
    );
  }
  const dataKey = open(master, sealed.wrappedDataKey, aad(ctx, "key", sealed.keyVersion));
  if (dataKey.length !== 32) throw new DecryptionError("malformed", "The stored data key is malformed.");
  return dataKey;
}

/** Encrypts secret fields under a new data key wrapped by the active master key. */
export function sealSecrets(secrets: Record<string, string>, ctx: SecretContext, keyring: MasterKeyring): SealedSecrets {
  const dataKey = randomBytes(32);
  try {
    const { version, key } = keyring.active;
    return {
      secretCiphertext: seal(dataKey, Buffer.from(JSON.stringify(secrets), "utf8"), aad(ctx, "data")),
      wrappedDataKey: seal(key, dataKey, aad(ctx, "key", version)),
      keyVersion: version,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts secret fields; throws DecryptionError (never returns garbage). */
export function openSecrets(sealed: SealedSecrets, ctx: SecretContext, keyring: MasterKeyring): Record<string, string> {
  const dataKey = unwrapDataKey(sealed, ctx, keyring);
  try {
    const plaintext = open(dataKey, sealed.secretCiphertext, aad(ctx, "data"));
    const parsed: unknown = JSON.parse(plaintext.toString("utf8"));
    plaintext.fill(0);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new DecryptionError("malformed", "The stored secret is malformed.");
    }
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed)) if (typeof value === "string") out[name] = value;
    return out;
  } catch (error) {
    if (error instanceof DecryptionError) throw error;
    throw new DecryptionError("malformed", "The stored secret is malformed.");
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under the active master key; the secret ciphertext is unchanged. */
export function rewrapDataKey(
  sealed: Pick<SealedSecrets, "wrappedDataKey" | "keyVersion">,
  ctx: SecretContext,
  keyring: MasterKeyring,
): Pick<SealedSecrets, "wrappedDataKey" | "keyVersion"> {
  const dataKey = unwrapDataKey(sealed, ctx, keyring);
  try {
    const { version, key } = keyring.active;
    return { wrappedDataKey: seal(key, dataKey, aad(ctx, "key", version)), keyVersion: version };
  } finally {
    dataKey.fill(0);
  }
}
