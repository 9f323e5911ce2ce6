/**
 * A scope outside every request, for work a request starts but that outlives it (a batcher's
 * timer, a pooled PostgreSQL connection, undici's sockets and shared timer). Node's AsyncLocalStorage copies the current store onto every resource created under it,
 * so a timer set while serving a request keeps that request's context (its headers, an agent
 * token, a gateway request's body) reachable until the timer fires, and runs its callback as if it
 * were still that request. Resources created inside `outsideRequests` carry no request's store.
 *
 * The scope is made once per process (on globalThis: the instrumentation bundle and the app's
 * bundles are separate module graphs) by `startServer`, before any request is served.
 */
import { AsyncResource } from "node:async_hooks";

const KEY = Symbol.for("byok.outsideRequests");
const holder = globalThis as typeof globalThis & { [KEY]?: AsyncResource };

/** Makes the scope if there is none yet: call it at start-up, outside any request. */
export function initOutsideRequests(): void {
  holder[KEY] ??= new AsyncResource("byok.outside-requests");
}

/** Runs `fn` in the scope made at start-up (where there is none yet, it is made now). */
export function outsideRequests<T>(fn: () => T): T {
  initOutsideRequests();
  return holder[KEY]!.runInAsyncScope(fn);
}
