/**
 * The DNS lookup handed to undici's connector: resolves once, judges every address against the
 * host policy and gives the socket only addresses that passed, so the TCP connection goes to the
 * address that was checked (no second lookup, no rebinding window).
 */
import "server-only";
import { promises as dns, type LookupAddress } from "node:dns";
import { type AllowList, checkAddress } from "./host-policy";
import { OutboundError } from "./types";

/** Resolves a host name to all its addresses (dns.lookup with `all: true` by default). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** The shape of `net.connect({ lookup })`. */
export type PinnedLookup = (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback) => void;

/** Default resolver: the system resolver, every address, in its order. */
export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

function dnsError(hostname: string, cause: unknown): OutboundError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason =
    code === "EAI_AGAIN"
      ? "the DNS lookup failed temporarily (EAI_AGAIN)"
      : `the host name does not resolve${typeof code === "string" ? ` (${code})` : ""}`;
  return new OutboundError("dns", hostname, reason, { cause });
}

/**
 * Builds the lookup for one connection policy. `plainHttp` is for the agent that carries http
 * URLs: every address must then be allow-listed, not merely public.
 */
export function createPinnedLookup(list: AllowList, plainHttp: boolean, resolve: Resolver = systemResolver): PinnedLookup {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    resolve(hostname).then(
      (all) => {
        const addresses = all.filter((entry) => family === 0 || entry.family === family);
        if (addresses.length === 0) return callback(dnsError(hostname, { code: "ENOTFOUND" }), "");
        for (const { address } of addresses) {
          const verdict = checkAddress(list, { host: hostname, address, plainHttp });
          if (!verdict.ok) return callback(new OutboundError(verdict.kind, hostname, verdict.reason), "");
        }
        if (options.all) return callback(null, addresses);
        const [first] = addresses as [LookupAddress];
        callback(null, first.address, first.family);
      },
      (error: unknown) => callback(dnsError(hostname, error), ""),
    );
  };
}
