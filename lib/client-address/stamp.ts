/**
 * The client address travels from the HTTP server (see ./hook.ts) to route handlers, server
 * actions and Auth.js in a private request header, stamped with a random secret of this process.
 * The hook deletes any copy a client sent; the stamp also defeats a forged copy on a request that
 * arrived before the hook was installed. State lives on globalThis because the instrumentation
 * bundle and the app's bundles are separate module graphs in one process.
 */
import { randomBytes } from "node:crypto";

export const CLIENT_ADDRESS_HEADER = "x-byok-client-address";

const SECRET = Symbol.for("byok.clientAddressSecret");
const holder = globalThis as typeof globalThis & { [SECRET]?: string };

function secret(): string {
  return (holder[SECRET] ??= randomBytes(24).toString("base64url"));
}

/** The header value that carries `address` (a normalised address) for this process. */
export function stampValue(address: string): string {
  return `${secret()} ${address}`;
}

/**
 * The address in a stamped header value; null when missing, unstamped or forged. Runs on every
 * request: the secret is compared in constant time (every character, whatever differs first)
 * without allocating, where timingSafeEqual would need two buffers made from the strings.
 */
export function readStamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const expected = secret();
  const length = expected.length;
  if (value.length <= length + 1 || value.charCodeAt(length) !== 0x20) return null;
  let difference = 0;
  for (let i = 0; i < length; i++) difference |= value.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0 ? value.slice(length + 1) : null;
}
