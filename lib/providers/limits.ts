/** Bounds on text a provider controls (client-safe: mask.ts uses them too). */

/**
 * Most characters of any provider-controlled text (a message, code, title, header) that is ever
 * inspected: longer text is cut to this prefix before any regex or scan, so a hostile 1 MiB body
 * costs what a 16 KiB one does.
 */
export const PROVIDER_SCAN_LIMIT = 16 * 1024;

/** Cuts provider-controlled text to its first PROVIDER_SCAN_LIMIT characters. */
export function scanPrefix(text: string): string {
  return text.length > PROVIDER_SCAN_LIMIT ? text.slice(0, PROVIDER_SCAN_LIMIT) : text;
}
