/**
 * Secret hints (`sk-proj-…MxYA`) and redaction of keys in text we show or store, such as a
 * provider's error message. Client-safe: the card uses maskSecret for display.
 */
import { PROVIDER_SCAN_LIMIT, scanPrefix } from "./limits";

const ELLIPSIS = "…";
const SHORT_MASK = "••••";
// Runs of at least this many characters of a secret's random part are redacted.
const MIN_LEAK = 8;

// The recognisable, non-random start of a key: up to the last `-`/`_` within its first 8 chars.
function keyPrefix(value: string): string {
  const head = value.slice(0, 8);
  const cut = Math.max(head.lastIndexOf("-"), head.lastIndexOf("_"));
  const prefix = cut >= 0 ? head.slice(0, cut + 1) : head.slice(0, 4);
  // Never reveal more than half of the value (prefix + last 4).
  return prefix.length + 4 > value.length / 2 ? "" : prefix;
}

/**
 * A display hint for a secret: recognisable prefix, `…`, last 4 (`sk-proj-…MxYA`). Values shorter
 * than 12 characters keep at most their last 2 characters; very short ones become `••••`.
 */
export function maskSecret(value: string): string {
  const secret = value.trim();
  if (secret.length < 6) return SHORT_MASK;
  if (secret.length < 12) return `${ELLIPSIS}${secret.slice(-2)}`;
  return `${keyPrefix(secret)}${ELLIPSIS}${secret.slice(-4)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Redacts every run of text made of ≥ MIN_LEAK-character pieces of the secret's random part.
function redactFragments(text: string, secret: string): string {
  const random = secret.slice(keyPrefix(secret).length);
  if (random.length < MIN_LEAK) return text;
  const grams = new Set<string>();
  for (let i = 0; i + MIN_LEAK <= random.length; i++) grams.add(random.slice(i, i + MIN_LEAK));
  const covered = new Uint8Array(text.length);
  let found = false;
  for (let i = 0; i + MIN_LEAK <= text.length; i++) {
    if (!grams.has(text.slice(i, i + MIN_LEAK))) continue;
    covered.fill(1, i, i + MIN_LEAK);
    found = true;
  }
  if (!found) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (!covered[i]) out += text[i];
    else if (i === 0 || !covered[i - 1]) out += SHORT_MASK;
  }
  return out;
}

// Shapes of provider keys and tokens, for keys we were not told about.
const KEY_PATTERNS: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g, // Anthropic
  /\bsk-or-v1-[A-Za-z0-9]{16,}/g, // OpenRouter
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI, DeepSeek, Qwen …
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bAIza[A-Za-z0-9_-]{30,}/g, // Google API keys
];
const BEARER = /\b(Bearer\s+)[^\s"',;]{8,}/gi;
const LONG_TOKEN = /[A-Za-z0-9_\-+/=.]{32,}/g;

// A long run is a token (not a model id or URL) when one separator-free piece of it looks random.
function looksLikeToken(run: string): boolean {
  if (/^[a-fA-F0-9]{32,}$/.test(run)) return true;
  if (/^(?:https?:|www\.)/i.test(run) || run.includes("/")) return false;
  return run.split(/[-_.:]/).some((piece) => piece.length >= 24 && /\d/.test(piece) && /[A-Za-z]/.test(piece));
}

/**
 * Replaces every occurrence of the given secrets in `text` with their hint, redacts any run of 8+
 * characters taken from a secret (e.g. its tail), and masks anything else that looks like a key
 * or token (`sk-…`, `sk-ant-…`, `sk-or-v1-…`, `AKIA…`, `Bearer …`, long random strings).
 * Text beyond PROVIDER_SCAN_LIMIT characters is dropped (marked `…`): the work stays bounded.
 */
export function maskSecretsIn(text: string, secrets: readonly string[] = []): string {
  const cut = text.length > PROVIDER_SCAN_LIMIT;
  return cut ? `${maskBounded(scanPrefix(text), secrets)}${ELLIPSIS}` : maskBounded(text, secrets);
}

function maskBounded(text: string, secrets: readonly string[]): string {
  let out = text;
  const known = secrets.map((s) => s.trim()).filter((s) => s.length >= 4);
  // Longest first, so a secret containing another is replaced whole.
  known.sort((a, b) => b.length - a.length);
  for (const secret of known) {
    out = out.replace(new RegExp(escapeRegExp(secret), "g"), maskSecret(secret));
  }
  for (const secret of known) out = redactFragments(out, secret);
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, (match) => maskSecret(match));
  out = out.replace(BEARER, (_match, bearer: string) => `${bearer}${SHORT_MASK}`);
  out = out.replace(LONG_TOKEN, (run) => (looksLikeToken(run) ? maskSecret(run) : run));
  return out;
}
