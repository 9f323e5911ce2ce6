/**
 * Webhook signatures: `X-BYOK-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * Pure and dependency-free (node:crypto only), so receivers and tests can use it as is.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** How far a signature's timestamp may be from now before it is refused (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export function signaturePayload(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The X-BYOK-Signature header value for `body`, signed now (or at `timestamp`, unix seconds). */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${signaturePayload(secret, timestamp, body)}`;
}

/**
 * True when `header` carries a v1 signature of `body` under `secret` whose timestamp lies within
 * the tolerance of `now` (unix seconds). Compares in constant time; never throws.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  header: string | string[] | null | undefined;
  body: string;
  toleranceSeconds?: number;
  now?: number;
}): boolean {
  const header = Array.isArray(input.header) ? input.header[0] : input.header;
  if (typeof header !== "string") return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && value && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signaturePayload(input.secret, timestamp, input.body), "hex");
  return candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, "hex"), expected));
}
