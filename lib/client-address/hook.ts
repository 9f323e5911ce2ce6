/**
 * Next 16 gives route handlers, server actions and Auth.js no socket, and fills X-Forwarded-For
 * from the socket only when the client did not send one. So the address is computed where the
 * socket is known: a hook on the HTTP server's "request" event, installed by instrumentation's
 * register() in the process that serves requests (`next start`, `next dev`). It computes the
 * address from the socket and TRUSTED_PROXY_HOPS, and writes it, stamped, into a private header,
 * after deleting any copy the client sent.
 */
import "server-only";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { clientAddressFrom } from "./compute";
import { CLIENT_ADDRESS_HEADER, stampValue } from "./stamp";

const INSTALLED = Symbol.for("byok.clientAddressHook");
type HookState = { hops: number };
type Emitter = { emit: (event: string | symbol, ...args: unknown[]) => boolean; [INSTALLED]?: HookState };

/** Rewrites the private header of one incoming request. Exported for tests. */
export function stampRequest(req: IncomingMessage, hops: number): void {
  delete req.headers[CLIENT_ADDRESS_HEADER];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === CLIENT_ADDRESS_HEADER) raw.splice(i, 2);
  }
  const forwarded = req.headers["x-forwarded-for"];
  const address = clientAddressFrom({
    socketAddress: req.socket?.remoteAddress,
    forwardedFor: Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
    hops,
  });
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = stampValue(address);
}

/**
 * Installs the hook on http and https servers, once per process (a second call, e.g. after a
 * hot reload, only updates the hop count). Servers created before the call are covered too:
 * `emit` is looked up on the prototype for every event.
 */
export function installClientAddressHook(hops: number): void {
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Emitter[]) {
    const existing = Object.prototype.hasOwnProperty.call(proto, INSTALLED) ? proto[INSTALLED] : undefined;
    if (existing) {
      existing.hops = hops;
      continue;
    }
    const state: HookState = { hops };
    const original = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request" || event === "checkContinue" || event === "checkExpectation") {
        try {
          stampRequest(args[0] as IncomingMessage, state.hops);
        } catch {
          // Never break serving; an unstamped request simply has no known address.
        }
      }
      return original.call(this, event, ...args);
    };
    proto[INSTALLED] = state;
  }
}
