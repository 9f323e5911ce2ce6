/**
 * The receiver-side verification code shown on the Alerts page and in the README (kept in one
 * place; verify-snippet.test.ts runs it against BYOK's own signatures).
 */
export const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from "node:crypto";

// header: the X-BYOK-Signature value; body: the raw request body (a string, before JSON.parse).
export function verifyByokSignature(secret, header, body) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2)));
  const t = Number(parts.t);
  if (!t || Math.abs(Date.now() / 1000 - t) > 300) return false; // older than 5 minutes: a replay
  const expected = createHmac("sha256", secret).update(\`\${t}.\${body}\`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}`;

/** One-line descriptions of the events, for the checkboxes and the README. */
export const EVENT_DESCRIPTIONS = {
  "credential.invalid": "a re-validation found the key or model bad",
  "credential.quota": "a re-validation found the key out of quota",
  "budget.threshold": "a budget reached 80\u00a0%",
  "budget.exceeded": "a budget is used up",
  "token.expiring": "an agent token expires within 7 days",
} as const;
