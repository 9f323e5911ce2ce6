/**
 * The guarded outbound fetch (contract in ./types.ts): the only way the server calls a provider.
 * undici with a pinned lookup (./pinned-lookup.ts) so the socket goes to the checked address;
 * one Agent for https and one for plain http, whose lookup demands allow-listed addresses.
 */
import "server-only";
import type { Readable } from "node:stream";
import { Agent, request } from "undici";
import { outsideRequests } from "@/lib/outside-requests";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { checkUrl, parseAllowList } from "./host-policy";
import { toOutboundError } from "./outbound-errors";
import { createPinnedLookup, type Resolver } from "./pinned-lookup";
import { type GuardedRequest, type GuardedResponse, OutboundError } from "./types";

/** Response body cap when the caller gives none: 1 MiB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

const USER_AGENT = "BYOK/1.0";
const MAX_TIMER_MS = 2_147_483_647;
const CONNECT_BACKSTOP_MS = 30_000;

export type GuardedFetchOptions = {
  /** ALLOW_PRIVATE_API_HOSTS syntax: comma list of host names, IPs, CIDRs, or `*`. */
  allowPrivateHosts: string;
  /** Per-request timeout when the request gives none. */
  defaultTimeoutMs: number;
  /** Replaces the system resolver (tests). Called once per new connection. */
  resolve?: Resolver;
};

/** A streaming request: the body is not read, and its own timeouts replace the per-request one. */
export type GuardedStreamRequest = {
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Aborts the request and, once the answer has begun, its body (the client went away). */
  signal?: AbortSignal;
  /** Most time to wait for the response headers. */
  headersTimeoutMs: number;
  /** Most time between two chunks of the response body (the body then errors). */
  idleTimeoutMs: number;
};

export type GuardedStreamResponse = { status: number; headers: Headers; body: Readable };

export type GuardedFetch = ((url: string, init?: GuardedRequest) => Promise<GuardedResponse>) & {
  /**
   * The same guard (host policy, pinned lookup, no redirects) without reading the body: the
   * caller consumes or destroys `body`. Throws only OutboundError.
   */
  stream: (url: string, init: GuardedStreamRequest) => Promise<GuardedStreamResponse>;
  /** Closes the pooled connections, ending anything still in flight (tests, shutdown). */
  close: () => Promise<void>;
};

function outgoingHeaders(given: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  let hasUserAgent = false;
  for (const [name, value] of Object.entries(given ?? {})) {
    const lower = name.toLowerCase();
    // The Host header would change the TLS server name away from the URL's host.
    if (lower === "host") continue;
    if (lower === "user-agent") hasUserAgent = true;
    headers[name] = value;
  }
  if (!hasUserAgent) headers["user-agent"] = USER_AGENT;
  return headers;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // A header value Headers refuses is dropped rather than failing the response.
      }
    }
  }
  return headers;
}

async function readCapped(body: Readable, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    if (size + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - size));
      truncated = true;
      break;
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  if (truncated) body.destroy();
  // When cut, `stream: true` drops a UTF-8 sequence left incomplete by the cut.
  const text = new TextDecoder("utf-8").decode(Buffer.concat(chunks), { stream: truncated });
  return { text, truncated };
}

/** Rejects as soon as `signal` aborts: undici defers an abort until a pending connect ends. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Builds a guarded fetch with its own connection pool and allow-list. The app uses
 * `guardedFetch` (configured from env); tests build their own with an injected allow-list.
 *
 * undici keeps what a request creates for longer than the request: pooled keep-alive sockets, and
 * one timer for all its timeouts, re-armed by the first call after an idle second and kept for the
 * life of the process. Node's AsyncLocalStorage copies the current request's store onto each, so a
 * Save's validation call kept that request reachable, with the key in its decoded form (seen in a
 * heap snapshot). So every call into undici (`send`) starts outside any request
 * (lib/outside-requests.ts); `await` gives the caller its own context back.
 */
export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const list = parseAllowList(options.allowPrivateHosts);
  if (list.invalid.length > 0) {
    log.warn("ALLOW_PRIVATE_API_HOSTS: ignored entries that are not a host name, IP or CIDR", {
      entries: list.invalid.join(","),
    });
  }
  // The per-request timer governs; this only ends connects a timed-out request left behind.
  const connectTimeout = Math.max(options.defaultTimeoutMs, CONNECT_BACKSTOP_MS);
  const agentFor = (plainHttp: boolean) =>
    new Agent({ connect: { lookup: createPinnedLookup(list, plainHttp, options.resolve), timeout: connectTimeout } });
  const httpsAgent = agentFor(false);
  const httpAgent = agentFor(true);
  const send = (url: URL, options: Parameters<typeof request>[1]) => outsideRequests(() => request(url, options));

  const fetcher = async (input: string, init: GuardedRequest = {}): Promise<GuardedResponse> => {
    const target = checkUrl(list, input);
    if (!target.ok) throw new OutboundError(target.kind, target.host, target.reason);
    const { url, host } = target;
    url.hash = "";

    const timeoutMs = Math.min(positive(init.timeoutMs, options.defaultTimeoutMs), MAX_TIMER_MS);
    const maxBytes = init.maxBytes !== undefined && init.maxBytes >= 0 ? Math.floor(init.maxBytes) : DEFAULT_MAX_BYTES;
    const state = { timedOut: false, callerAborted: false, timeoutMs };
    if (init.signal?.aborted) {
      throw toOutboundError(init.signal.reason, host, { ...state, callerAborted: true });
    }

    const timer = new AbortController();
    const timeout = setTimeout(() => {
      state.timedOut = true;
      timer.abort();
    }, timeoutMs);
    const signal = init.signal ? AbortSignal.any([timer.signal, init.signal]) : timer.signal;

    try {
      const pending = send(url, {
        dispatcher: target.plainHttp ? httpAgent : httpsAgent,
        method: init.method ?? "GET",
        headers: outgoingHeaders(init.headers),
        body: init.body,
        signal,
      });
      const response = await untilAborted(pending, signal);
      const { text, truncated } = await readCapped(response.body, maxBytes);
      return { status: response.statusCode, headers: toHeaders(response.headers), text, truncated, url: url.href };
    } catch (error) {
      state.callerAborted = init.signal?.aborted === true;
      throw toOutboundError(error, host, state);
    } finally {
      clearTimeout(timeout);
    }
  };

  const stream = async (input: string, init: GuardedStreamRequest): Promise<GuardedStreamResponse> => {
    const target = checkUrl(list, input);
    if (!target.ok) throw new OutboundError(target.kind, target.host, target.reason);
    const { url, host } = target;
    url.hash = "";
    const headersTimeoutMs = Math.min(positive(init.headersTimeoutMs, options.defaultTimeoutMs), MAX_TIMER_MS);
    const state = { timedOut: false, callerAborted: false, timeoutMs: headersTimeoutMs };
    if (init.signal?.aborted) throw toOutboundError(init.signal.reason, host, { ...state, callerAborted: true });
    // undici's headersTimeout starts once the request is sent; this timer also covers the connect.
    // One controller for both the timer and the caller (AbortSignal.any costs ~10 µs a request).
    const timer = new AbortController();
    const timeout = setTimeout(() => {
      state.timedOut = true;
      timer.abort();
    }, headersTimeoutMs);
    init.signal?.addEventListener("abort", () => timer.abort(init.signal!.reason), { once: true });
    const signal = timer.signal;
    try {
      const pending = send(url, {
        dispatcher: target.plainHttp ? httpAgent : httpsAgent,
        method: init.method as "GET",
        headers: outgoingHeaders(init.headers),
        body: init.body,
        // The timer is cleared once headers arrive: then only the caller's signal ends the body.
        signal,
        headersTimeout: headersTimeoutMs,
        bodyTimeout: Math.min(positive(init.idleTimeoutMs, options.defaultTimeoutMs), MAX_TIMER_MS),
      });
      const response = await untilAborted(pending, signal);
      return { status: response.statusCode, headers: toHeaders(response.headers), body: response.body };
    } catch (error) {
      state.callerAborted = init.signal?.aborted === true;
      throw toOutboundError(error, host, state);
    } finally {
      clearTimeout(timeout);
    }
  };

  const close = async () => {
    await Promise.all([httpsAgent.destroy(), httpAgent.destroy()]);
  };
  return Object.assign(fetcher, { stream, close });
}

let configured: GuardedFetch | undefined;

function configuredFetch(): GuardedFetch {
  configured ??= createGuardedFetch({
    allowPrivateHosts: env.ALLOW_PRIVATE_API_HOSTS,
    defaultTimeoutMs: env.PROVIDER_REQUEST_TIMEOUT_MS,
  });
  return configured;
}

/**
 * Fetches a provider URL under the guard: https only (http for allow-listed hosts), pinned DNS,
 * non-public addresses refused, no redirects, bounded time and body. Throws only OutboundError
 * for network-level failures; any HTTP status comes back as a response.
 */
export function guardedFetch(url: string, init?: GuardedRequest): Promise<GuardedResponse> {
  return configuredFetch()(url, init);
}

/** The streaming form of guardedFetch (the gateway's): same guard and connection pools. */
export function guardedStream(url: string, init: GuardedStreamRequest): Promise<GuardedStreamResponse> {
  return configuredFetch().stream(url, init);
}
