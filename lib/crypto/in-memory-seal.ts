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
import { createCipheriv, createDecipheriv, generateKeySync, randomBytes } from "node:crypto";

const processKey = generateKeySync("aes", { length: 256 });

export type InMemorySealed = { readonly iv: Buffer; readonly body: Buffer; readonly tag: Buffer };

/** Seals `plaintext` under this process's key (a fresh 96-bit IV each time). The caller zeroes its plaintext. */
export function sealInMemory(plaintext: Uint8Array): InMemorySealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", processKey, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Object.freeze({ iv, body, tag: cipher.getAuthTag() });
}

/** The plaintext of something this process sealed; throws if it was altered. */
export function openInMemory(sealed: InMemorySealed): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", processKey, sealed.iv);
  decipher.setAuthTag(sealed.tag);
  const head = decipher.update(sealed.body);
  const tail = decipher.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}
