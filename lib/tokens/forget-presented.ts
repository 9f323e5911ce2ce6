/**
 * Next.js keeps the latest request's IncrementalCache in `globalThis.__incrementalCache` until the
 * next request replaces it (next/dist/build/templates/app-route.js), and that object holds the
 * request's headers (`requestHeaders`, Node's headers object). So an idle server keeps its last
 * agent's Authorization header, the agent token, for as long as no other request comes in: a heap
 * dump taken then holds it (e2e/key-retention.spec.ts found it there).
 *
 * Agent endpoints call `forgetPresentedToken` once they have read the token: it gives that
 * IncrementalCache a copy of its headers without the ones carrying the token. Only when the cache
 * holds this very token (a concurrent request may have replaced the global meanwhile), and without
 * touching the request's own headers object. Nothing reads those headers after a dynamic route
 * handler has started (they decide on-demand revalidation when the cache is created, and, in
 * development only, a `cache-control: no-cache` bypass: kept). Relies on a Next.js internal; if it
 * changes, this does nothing and the e2e test above fails.
 */
import "server-only";

type HeldHeaders = Record<string, string | string[] | undefined>;
const holder = globalThis as typeof globalThis & { __incrementalCache?: { requestHeaders?: HeldHeaders } | null };

const carries = (value: string | string[] | undefined, token: string): boolean =>
  typeof value === "string" ? value.includes(token) : Array.isArray(value) && value.some((v) => v.includes(token));

export function forgetPresentedToken(token: string): void {
  const cache = holder.__incrementalCache;
  const headers = cache?.requestHeaders;
  if (!cache || !headers || typeof headers !== "object") return;
  const kept: HeldHeaders = {};
  let found = false;
  for (const name in headers) {
    if (carries(headers[name], token)) found = true;
    else kept[name] = headers[name];
  }
  if (found) cache.requestHeaders = kept;
}
