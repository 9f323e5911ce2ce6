/**
 * Whether JSON.parse would stall on a provider's body. It is linear, but two shapes cost far more
 * per byte than real answers do: deep nesting (≈ 0.4 s for 1 MiB of `[`) and many distinct object
 * keys (0.2–0.6 s for 1 MiB of them). Real answers nest a few levels and use a few dozen keys.
 */
import "server-only";

/** Deepest nesting of arrays and objects a provider's JSON may have. */
export const MAX_JSON_DEPTH = 64;
/** Most distinct object keys a provider's JSON may have. */
export const MAX_JSON_KEYS = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

// Whether the character at `index` follows an odd run of backslashes.
function isEscaped(text: string, index: number): boolean {
  let start = index;
  while (start > 0 && text.charCodeAt(start - 1) === BACKSLASH) start--;
  return (index - start) % 2 === 1;
}

// Whether `c` may follow a string inside valid JSON: `:` after a key, `,` `]` `}` after a value.
function mayFollowString(c: number): boolean {
  return c === COLON || c === 0x2c || c === 0x5d || c === 0x7d;
}

/**
 * Whether `text` nests arrays or objects deeper than MAX_JSON_DEPTH or has more than MAX_JSON_KEYS
 * distinct object keys (brackets inside strings do not count). One pass: string contents are
 * skipped with indexOf and each backslash run is counted once. It stops, answering false, where
 * the top-level value ends or at a string JSON.parse would refuse (`""""…`): JSON.parse stops
 * there too, having seen no more than this scan did.
 */
export function tooCostlyToParse(text: string): boolean {
  const keys = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (depth === 0) return false;
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return false;
      let next = end + 1;
      while (next < text.length && isJsonSpace(text.charCodeAt(next))) next++;
      const after = text.charCodeAt(next);
      if (!mayFollowString(after)) return false;
      if (after === COLON) {
        keys.add(text.slice(i + 1, end));
        if (keys.size > MAX_JSON_KEYS) return true;
      }
      i = next - 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) {
      if (--depth <= 0) return false;
    }
  }
  return false;
}
