/**
 * The client address travels from the HTTP server (see ./hook.ts) to route handlers, server
 * actions and Auth.js in a private request header, stamped with a random secret of this process.
 * The hook deletes any copy a client sent; the stamp also defeats a forged copy on a request that
 * arrived before the hook was installed. State lives on globalThis because the instrumentation
 * bundle and the app's bundles are separate module graphs in one process.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export const CLIENT_ADDRESS_HEADER = "x-byok-client-address";

const SECRET = Symbol.for("byok.clientAddressSecret");
const holder = globalThis as typeof globalThis & { [SECRET]?: string };

function secret(): string {
  return (holder[SECRET] ??= randomBytes(24).toString("base64url"));
}

// The secret as bytes, for the constant-time comparison on every request (made once).
let expectedBytes: Buffer | undefined;

/** The header value that carries `address` (a normalised address) for this process. */
export function stampValue(address: string): string {
  return `${secret()} ${address}`;
}

/** The address in a stamped header value; null when missing, unstamped or forged. */
export function readStamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const space = value.indexOf(" ");
  if (space <= 0) return null;
  const expected = (expectedBytes ??= Buffer.from(secret()));
  const given = Buffer.from(value.slice(0, space));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return value.slice(space + 1) || null;
}
