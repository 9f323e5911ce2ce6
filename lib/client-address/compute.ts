/**
 * The client's address, computed from what can be trusted: the socket's peer, and X-Forwarded-For
 * only as far as the configured number of trusted proxy hops reaches. Pure functions (no Node
 * server, no environment), so every case is unit-tested.
 */
import ipaddr from "ipaddr.js";

/**
 * Parses one address as a socket or a proxy writes it, normalised: IPv4 in four-part decimal,
 * IPv6 compressed and lower-case, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) unwrapped to IPv4, a zone
 * id dropped. Tolerates the `1.2.3.4:port` and `[v6]:port` forms some proxies write. Anything else
 * (names, `unknown`, `127.1`, `2130706433`, text) is null.
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let text = raw.trim();
  if (text.length === 0 || text.length > 100) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  text = text.replace(/%[0-9A-Za-z_.-]+$/, "");
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
  if (!ipaddr.IPv6.isValid(text)) return null;
  const parsed = ipaddr.IPv6.parse(text);
  return parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : parsed.toString();
}

/**
 * The client address for a request that reached us from `socketAddress` carrying `forwardedFor`
 * (the X-Forwarded-For value, duplicates already joined with commas), with `hops` trusted proxies
 * in front. The chain is `[...forwardedFor, socket]`; entries counted from the right were written
 * by us (the socket) and then by each trusted proxy, so with N hops the client is the N-th entry
 * from the right. A shorter chain gives its leftmost entry (every entry in it was written by a
 * trusted party); an entry that is not an address stops the walk at the nearest trusted address
 * to its right. Attacker-written text is never returned. Null only when the socket has no address.
 */
export function clientAddressFrom(input: {
  socketAddress: string | null | undefined;
  forwardedFor?: string | null;
  hops: number;
}): string | null {
  let address = normalizeAddress(input.socketAddress);
  if (!address || input.hops <= 0 || !input.forwardedFor) return address;
  const entries = input.forwardedFor.split(",");
  for (let hop = 1; hop <= input.hops && entries.length > 0; hop++) {
    const next = normalizeAddress(entries.pop());
    if (!next) break;
    address = next;
  }
  return address;
}

/**
 * The key a per-address rate limit counts under: an IPv4 address as is; an IPv6 address by its
 * /64 prefix, since one subscriber usually holds a whole /64 and could rotate through it.
 * Unknown addresses share one bucket, so they cannot escape the limit.
 */
export function rateLimitKeyFor(address: string | null): string {
  if (!address) return "unknown";
  if (!ipaddr.IPv6.isValid(address)) return address;
  const parts = ipaddr.IPv6.parse(address).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
