/**
 * Node's own `fetch` (undici inside Node) starts its sockets and its shared timer in the context of
 * whichever request calls it, and AsyncLocalStorage copies that request's store onto them. Its one
 * timer for all timeouts is re-armed by the first call after an idle second and takes that call's
 * context each time; it lives as long as the process. The app itself never calls Node's fetch (its
 * provider calls go through ./guarded-fetch.ts), but Next does: a server action that redirects
 * (sign-in, sign-up) has Next fetch the target page from itself, so the last such action's request
 * stayed reachable, with the password in its decoded form (seen in a heap snapshot).
 *
 * Every dispatch of Node's global dispatcher (the one its `fetch` uses) now starts outside any
 * request (lib/outside-requests.ts). Only where that dispatch starts changes: responses, errors and
 * the caller's own context are as before.
 */
import "server-only";
import { outsideRequests } from "@/lib/outside-requests";

const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");
const WRAPPED = Symbol.for("byok.dispatchOutsideRequests");

type Dispatcher = { dispatch: (options: unknown, handler: unknown) => boolean };
const holder = globalThis as typeof globalThis & { [GLOBAL_DISPATCHER]?: Dispatcher & { [WRAPPED]?: true } };

/** Wraps Node's global dispatcher once per process; false when there is none to wrap. */
export function dispatchFetchOutsideRequests(): boolean {
  void globalThis.fetch; // Node creates its fetch, and with it the global dispatcher, on first use
  const inner = holder[GLOBAL_DISPATCHER];
  if (!inner || typeof inner.dispatch !== "function") return false;
  if (inner[WRAPPED]) return true;
  const dispatch = (options: unknown, handler: unknown) => outsideRequests(() => inner.dispatch(options, handler));
  holder[GLOBAL_DISPATCHER] = new Proxy(inner, {
    get(target, property) {
      if (property === "dispatch") return dispatch;
      if (property === WRAPPED) return true;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return true;
}
