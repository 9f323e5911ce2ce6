/**
 * Sealing for secrets this process keeps in memory for a while (the resolution cache's key-mode
 * answers): an AEAD under a key made when the process starts and held outside the JavaScript heap.
 * A heap snapshot holds the ciphertext only, as it would with the stored envelope
 * (lib/crypto/envelope.ts); nothing sealed here outlives the process, so the format is free to
 * differ from one process to the next.
 *
 * XChaCha20-Poly1305 from libsodium (sodium-native's prebuilt binding), its key in libsodium's
 * guarded memory (sodium_malloc: off the heap, between guard pages, kept out of swap and core dumps
 * where the system allows, read-only once made). A cache hit of GET /api/v1/config opens one
 * answer, and node:crypto's AES-256-GCM costs 2.5–3 times as much there: each createDecipheriv
 * makes a new OpenSSL cipher context (README.md, Benchmark, has the figures). Where sodium-native
 * has no build for the platform, AES-256-GCM from node:crypto under a KeyObject instead: the same
 * guarantees, at that cost.
 */
import "server-only";
import { createCipheriv, createDecipheriv, generateKeySync, randomFillSync } from "node:crypto";
import { createRequire } from "node:module";
import { describeError, log } from "@/lib/log";

/**
 * Nonce, tag and ciphertext in one buffer of its own: exactly its size, not a slice of Node's
 * shared 8 KB pool (a pool slice keeps the whole slab alive for as long as it lives; the
 * resolution cache holds one of these per token, for as long as the token is in use).
 */
export type InMemorySealed = Buffer & { readonly __sealedInMemory: true };

export type InMemorySealer = {
  readonly name: string;
  /** Seals `plaintext` under this process's key (a fresh random nonce each time). The caller zeroes its plaintext. */
  seal(plaintext: Uint8Array): InMemorySealed;
  /**
   * The plaintext of something this sealer sealed; throws if it was altered. Written into `into`
   * when given (the returned view of it; `into` must hold at least `sealed.length` bytes), else into
   * a buffer of its own.
   */
  open(sealed: InMemorySealed, into?: Buffer): Buffer;
};

/** The part of sodium-native's API used here (its own package ships no types). */
type Sodium = {
  sodium_malloc(size: number): Buffer;
  sodium_mprotect_readonly(buffer: Buffer): void;
  randombytes_buf(buffer: Uint8Array): void;
  crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number;
  crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
  crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
  crypto_aead_xchacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: null, nsec: null, npub: Uint8Array, k: Uint8Array): number;
  crypto_aead_xchacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: null, npub: Uint8Array, k: Uint8Array): number;
};

/** XChaCha20-Poly1305: 24-byte random nonce, then ciphertext with its 16-byte tag. */
export function sodiumSealer(sodium: Sodium): InMemorySealer {
  const key = sodium.sodium_malloc(sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  sodium.randombytes_buf(key);
  sodium.sodium_mprotect_readonly(key);
  const NONCE = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  const TAG = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES;
  return {
    name: "xchacha20-poly1305 (libsodium)",
    seal(plaintext) {
      const sealed = Buffer.allocUnsafeSlow(NONCE + plaintext.length + TAG);
      sodium.randombytes_buf(sealed.subarray(0, NONCE));
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.subarray(NONCE), plaintext, null, null, sealed.subarray(0, NONCE), key);
      return sealed as InMemorySealed;
    },
    open(sealed, into) {
      if (sealed.length < NONCE + TAG) throw new Error("in-memory seal: too short");
      const length = sealed.length - NONCE - TAG;
      const plaintext = into ? targetOf(into, sealed, length) : Buffer.allocUnsafeSlow(length);
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext, null, sealed.subarray(NONCE), null, sealed.subarray(0, NONCE), key);
      return plaintext;
    },
  };
}

/** AES-256-GCM from node:crypto: 12-byte random IV, 16-byte tag, then ciphertext. */
export function nodeSealer(): InMemorySealer {
  const key = generateKeySync("aes", { length: 256 });
  const IV = 12;
  const TAG = 16;
  return {
    name: "aes-256-gcm (node:crypto)",
    seal(plaintext) {
      const sealed = Buffer.allocUnsafeSlow(IV + TAG + plaintext.length);
      randomFillSync(sealed, 0, IV);
      const cipher = createCipheriv("aes-256-gcm", key, sealed.subarray(0, IV));
      // GCM is a stream mode: the ciphertext is as long as the plaintext, and final() adds nothing.
      const written = cipher.update(plaintext).copy(sealed, IV + TAG) + cipher.final().copy(sealed, IV + TAG + plaintext.length);
      if (written !== plaintext.length) throw new Error("in-memory seal: unexpected ciphertext length");
      cipher.getAuthTag().copy(sealed, IV);
      return sealed as InMemorySealed;
    },
    open(sealed, into) {
      const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV), { authTagLength: TAG });
      decipher.setAuthTag(sealed.subarray(IV, IV + TAG));
      const head = decipher.update(sealed.subarray(IV + TAG));
      const tail = decipher.final();
      const plaintext = tail.length === 0 ? head : Buffer.concat([head, tail]);
      if (!into) return plaintext;
      // OpenSSL writes into buffers of its own: copied, then wiped.
      const target = targetOf(into, sealed, plaintext.length);
      target.set(plaintext);
      head.fill(0);
      plaintext.fill(0);
      return target;
    },
  };
}

/** The view of `into` that receives `length` bytes opened from `sealed` (its size is the bound callers allocate to). */
function targetOf(into: Buffer, sealed: InMemorySealed, length: number): Buffer {
  if (into.length < sealed.length) throw new Error("in-memory seal: the target is shorter than the sealed bytes");
  return into.subarray(0, length);
}

/** sodium-native when it loads on this platform, else null (said once: the fallback is slower, not weaker). */
function loadSodium(): Sodium | null {
  try {
    return createRequire(import.meta.url)("sodium-native") as Sodium;
  } catch (error) {
    log.warn("sodium-native did not load on this platform: cached answers are sealed with node:crypto AES-256-GCM instead", {
      reason: describeError(error),
    });
    return null;
  }
}

const sodium = loadSodium();
/** This process's sealer. */
export const inMemorySealer: InMemorySealer = sodium ? sodiumSealer(sodium) : nodeSealer();

export const sealInMemory = (plaintext: Uint8Array): InMemorySealed => inMemorySealer.seal(plaintext);

/** One buffer this process opens cached answers into, and whether an opening is using it now. */
let scratch = Buffer.alloc(0);
let scratchBusy = false;

/**
 * Opens `sealed` for the span of `read` only, and zeroes the plaintext as soon as `read` returns or
 * throws: `read` must not keep the bytes (a Response copies its body when it is made, as the Fetch
 * standard says a BufferSource body is). Into one buffer the process reuses, so an answer served
 * costs no allocation of its own and leaves no plaintext in freed memory; a nested opening (not
 * done today) gets a buffer of its own, wiped the same way.
 */
export function withOpenedInMemory<T>(sealed: InMemorySealed, read: (plaintext: Uint8Array) => T): T {
  if (scratchBusy) {
    let own: Buffer | undefined;
    try {
      own = inMemorySealer.open(sealed);
      return read(own);
    } finally {
      own?.fill(0);
    }
  }
  if (scratch.length < sealed.length) scratch = Buffer.alloc(Math.max(sealed.length, 2 * scratch.length, 1024));
  scratchBusy = true;
  try {
    return read(inMemorySealer.open(sealed, scratch));
  } finally {
    // All of what may have been written, also when opening failed half-way.
    scratch.fill(0, 0, sealed.length);
    scratchBusy = false;
  }
}
