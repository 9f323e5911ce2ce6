/**
 * Loads every page's server-action module at start-up, before a user's request can.
 *
 * Why: Next loads a page's actions the first time one of them is called, and the module (an async
 * module: it reaches the database driver) keeps the promise it was evaluated under for the life of
 * the process. Node's AsyncLocalStorage puts the current request's store on every promise made
 * while serving it, so the module kept the *first caller's* request alive: its decoded form, with a
 * provider key being saved or a password (seen in a heap snapshot of a running server: the saved
 * key, reachable from the module cache through that promise). Loaded here, the modules keep this
 * harmless request instead; and nobody's first Save waits for the load.
 *
 * How: one POST per page that has actions, to the server itself, naming one of the page's actions
 * (from Next's server-reference manifest) with more arguments than any action takes. Next loads
 * the module to call it; every action goes through lib/safe-action.ts, which refuses the call at
 * once ("Unexpected arguments."), so nothing else runs. Production only (`next dev` compiles
 * pages on demand); failures are logged and change nothing else.
 */
import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describeError, log } from "@/lib/log";

type Manifest = { node?: Record<string, { workers?: Record<string, unknown> }> };

/** More arguments than any action accepts: safe-action refuses the call before its body runs. */
const TOO_MANY_ARGUMENTS = JSON.stringify(new Array(16).fill(null));

/** The URL of a page entry ("app/(dashboard)/orgs/[slug]/models/page" → "/orgs/preload/models"). */
export function pagePathOf(entry: string): string {
  const segments = entry
    .replace(/^app\//, "")
    .replace(/(^|\/)page$/, "")
    .split("/")
    .filter((segment) => segment && !/^\(.*\)$/.test(segment) && !segment.startsWith("@"))
    .map((segment) => (segment.startsWith("[") ? "preload" : segment));
  return `/${segments.join("/")}`;
}

/** One action id per page entry that has actions. */
export function actionPerPage(manifest: Manifest): Map<string, string> {
  const pages = new Map<string, string>();
  for (const [actionId, action] of Object.entries(manifest.node ?? {})) {
    for (const entry of Object.keys(action.workers ?? {})) if (!pages.has(entry)) pages.set(entry, actionId);
  }
  return pages;
}

/** Calls one action of every page at `origin` (this server) so that its module is loaded now. */
export async function preloadServerActions(origin: string, distDir = path.join(process.cwd(), ".next")): Promise<number> {
  const started = Date.now();
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(distDir, "server", "server-reference-manifest.json"), "utf8")) as Manifest;
  } catch (error) {
    log.warn("server actions not preloaded: no manifest", { reason: describeError(error) });
    return 0;
  }
  const pages = actionPerPage(manifest);
  let loaded = 0;
  // One at a time: the first call loads what the modules share, the rest are quick.
  for (const [entry, actionId] of pages) {
    try {
      const response = await fetch(new URL(pagePathOf(entry), origin), {
        method: "POST",
        headers: { "Next-Action": actionId, Origin: origin, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
        body: TOO_MANY_ARGUMENTS,
        redirect: "manual",
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.ok) loaded++;
      else log.warn("server actions not preloaded for a page", { page: entry, status: response.status });
    } catch (error) {
      log.warn("server actions not preloaded for a page", { page: entry, reason: describeError(error) });
    }
  }
  log.info(`server actions preloaded: ${loaded} of ${pages.size} pages`, { ms: Date.now() - started });
  return loaded;
}
