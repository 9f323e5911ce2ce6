/**
 * Contract of the guarded outbound fetch (lib/net/guarded-fetch.ts): the only way the server
 * talks to a provider. Never throws anything but OutboundError for network-level problems.
 */

export type GuardedRequest = {
  method?: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  headers?: Record<string, string>;
  /** Request body, already serialised. */
  body?: string;
  /** Per-request timeout in ms (connect + headers + body). Default: PROVIDER_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Response body cap in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Aborts the request (e.g. the whole validation's deadline). */
  signal?: AbortSignal;
};

export type GuardedResponse = {
  status: number;
  headers: Headers;
  /** Body decoded as UTF-8, at most maxBytes of it. */
  text: string;
  /** True when the body was longer than maxBytes and was cut. */
  truncated: boolean;
  /** The URL requested (redirects are never followed: a 3xx comes back as is). */
  url: string;
};

export type OutboundErrorKind =
  | "invalid_url" // not a URL, or a scheme other than https (http only for allowed private hosts)
  | "blocked_address" // resolves to a private/loopback/link-local/metadata/... address not allowed
  | "dns" // name does not resolve
  | "connect" // TCP refused/reset/unreachable
  | "tls" // certificate or handshake failure
  | "timeout" // per-request timeout or caller's signal
  | "network"; // anything else below HTTP

export class OutboundError extends Error {
  readonly kind: OutboundErrorKind;
  /** Host name (or IP) of the URL, for messages like "Could not reach api.openai.com". */
  readonly host: string;

  constructor(kind: OutboundErrorKind, host: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OutboundError";
    this.kind = kind;
    this.host = host;
  }
}
