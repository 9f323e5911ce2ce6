/**
 * Model ids per stored credential configuration, kept a few minutes so suggestions do not call the
 * provider on every focus. Keyed by credential id and version: an edit starts a fresh entry.
 */
import "server-only";

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 2_000;
const entries = new Map<string, { models: string[]; at: number }>();

const keyOf = (credentialId: string, version: number) => `${credentialId}:${version}`;

export function cachedModels(credentialId: string, version: number): string[] | undefined {
  const key = keyOf(credentialId, version);
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (Date.now() - entry.at > TTL_MS) {
    entries.delete(key);
    return undefined;
  }
  return entry.models;
}

export function rememberModels(credentialId: string, version: number, models: string[]): void {
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(keyOf(credentialId, version), { models, at: Date.now() });
}
