/**
 * Agent token format: `byok_` + 32 random bytes in base64url (43 characters). Only the SHA-256
 * (hex) and the last four characters are stored; the token itself is shown once.
 */
import { hash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "byok_";
export const TOKEN_PATTERN = /^byok_[A-Za-z0-9_-]{43}$/;

export function generateToken(): { token: string; hash: string; lastFour: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashToken(token), lastFour: token.slice(-4) };
}

/** SHA-256, hex. `crypto.hash` digests in one call, without a Hash object: this runs on every agent request. */
export function hashToken(token: string): string {
  return hash("sha256", token, "hex");
}

/** `byok_…AbCd`, the only form of a token shown after creation. */
export function tokenHint(lastFour: string): string {
  return `${TOKEN_PREFIX}…${lastFour}`;
}

/**
 * The bearer token in an Authorization header value, or null when the header is missing or not a
 * well-formed BYOK token (so malformed values never reach the database).
 */
export function parseBearer(header: string | null): string | null {
  if (!header || header.length > 200) return null;
  // What agents send, "Bearer <token>", checked without building a match; any other spacing or
  // case of the scheme through the full pattern.
  if (header.startsWith("Bearer ")) {
    const token = header.slice(7);
    if (TOKEN_PATTERN.test(token)) return token;
  }
  const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1];
  return token && TOKEN_PATTERN.test(token) ? token : null;
}
