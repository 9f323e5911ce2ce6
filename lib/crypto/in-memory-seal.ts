/**
 * Sealing for secrets this process keeps in memory for a while (the resolution cache's key-mode
 * answers): AES-256-GCM under a key made when the process starts and held in a KeyObject, whose
 * bytes live outside the JavaScript heap. A heap snapshot holds the ciphertext only, as it would
 * with the stored envelope (lib/crypto/envelope.ts); nothing sealed here outlives the process.
 *
 * Opening costs one AES-GCM pass over bytes already decoded, where the stored envelope costs two
 * (unwrap the data key, then the secret) plus two base64 decodes and two AAD buffers.
 */
import "server-only";
import { createCipheriv, createDecipheriv, generateKeySync, randomFillSync } from "node:crypto";

const processKey = generateKeySync("aes", { length: 256 });

/**
 * IV (12 bytes), tag (16) and ciphertext in one buffer of its own: exactly its size, not a slice
 * of Node's shared 8 KB pool (a pool slice keeps the whole slab alive for as long as it lives; the
 * resolution cache holds one of these per token, for as long as the token is in use).
 */
export type InMemorySealed = Buffer & { readonly __sealedInMemory: true };

const IV = 12;
const TAG = 16;

/** Seals `plaintext` under this process's key (a fresh 96-bit IV each time). The caller zeroes its plaintext. */
export function sealInMemory(plaintext: Uint8Array): InMemorySealed {
  const sealed = Buffer.allocUnsafeSlow(IV + TAG + plaintext.length);
  randomFillSync(sealed, 0, IV);
  const cipher = createCipheriv("aes-256-gcm", processKey, sealed.subarray(0, IV));
  // GCM is a stream mode: the ciphertext is as long as the plaintext, and final() adds nothing.
  const written = cipher.update(plaintext).copy(sealed, IV + TAG) + cipher.final().copy(sealed, IV + TAG + plaintext.length);
  if (written !== plaintext.length) throw new Error("in-memory seal: unexpected ciphertext length");
  cipher.getAuthTag().copy(sealed, IV);
  return sealed as InMemorySealed;
}

/** The plaintext of something this process sealed; throws if it was altered. */
export function openInMemory(sealed: InMemorySealed): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", processKey, sealed.subarray(0, IV));
  decipher.setAuthTag(sealed.subarray(IV, IV + TAG));
  const head = decipher.update(sealed.subarray(IV + TAG));
  const tail = decipher.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}
