/**
 * Maps whatever undici, node:net, node:tls or node:dns threw to an OutboundError. Messages are
 * written here from error codes only: never from the request, whose headers hold API keys.
 */
import "server-only";
import { OutboundError } from "./types";

const CONNECT_REASONS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ECONNABORTED: "the connection was aborted",
  EPIPE: "the connection was closed while sending",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  EADDRNOTAVAIL: "the address is not available",
  UND_ERR_SOCKET: "the connection was closed unexpectedly",
  UND_ERR_CLOSED: "the connection was closed unexpectedly",
};

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA", "EAI_FAIL", "ENODATA"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|INVALID_CA|EPROTO$)/;

/** The error, its causes and (for happy-eyeballs AggregateErrors) its members, breadth first. */
function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 16) {
    const next = queue.shift();
    if (next === undefined || next === null || seen.includes(next)) continue;
    seen.push(next);
    if (typeof next === "object") {
      const { cause, errors } = next as { cause?: unknown; errors?: unknown };
      if (Array.isArray(errors)) queue.push(...errors);
      queue.push(cause);
    }
  }
  return seen;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Formats a duration as seconds for messages: 10000 → "10 s", 250 → "0.25 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/**
 * Turns any failure of one request into an OutboundError. `timedOut` / `callerAborted` say
 * which abort fired, if any; they win over the error undici reports for the abort.
 */
export function toOutboundError(
  error: unknown,
  host: string,
  state: { timedOut: boolean; callerAborted: boolean; timeoutMs: number },
): OutboundError {
  if (state.timedOut) return new OutboundError("timeout", host, `timed out after ${formatSeconds(state.timeoutMs)}`, { cause: error });
  if (state.callerAborted) return new OutboundError("timeout", host, "the request was cancelled before it completed", { cause: error });

  const errors = chain(error);
  const known = errors.find((e): e is OutboundError => e instanceof OutboundError);
  if (known) return known;

  for (const e of errors) {
    const code = codeOf(e);
    if (!code) continue;
    if (DNS_CODES.has(code)) {
      const reason = code === "EAI_AGAIN" ? "the DNS lookup failed temporarily (EAI_AGAIN)" : `the host name does not resolve (${code})`;
      return new OutboundError("dns", host, reason, { cause: error });
    }
    const connectReason = CONNECT_REASONS[code];
    if (connectReason) return new OutboundError("connect", host, connectReason, { cause: error });
    if (TIMEOUT_CODES.has(code)) return new OutboundError("timeout", host, `the connection timed out (${code})`, { cause: error });
    if (TLS_CODE.test(code))
      return new OutboundError("tls", host, `the TLS handshake or certificate check failed (${code})`, { cause: error });
  }
  if (errors.some((e) => (e as { library?: unknown } | null)?.library === "SSL routines")) {
    return new OutboundError("tls", host, "the TLS handshake failed", { cause: error });
  }
  const code = errors.map(codeOf).find(Boolean);
  return new OutboundError("network", host, `the request failed${code ? ` (${code})` : ""}`, { cause: error });
}
