/**
 * Which hosts and addresses the guarded fetch may reach, as pure functions (no env, no I/O).
 * Address classes come from ipaddr.js `range()`: only its "unicast" class is public. Added by
 * hand on top of it: exact cloud metadata addresses (for a clearer message), IPv6 outside
 * 2000::/3 (global unicast), which covers IPv4-compatible ::a.b.c.d and unassigned space, and
 * the IPv4 address embedded in mapped / NAT64 / 6to4 / Teredo forms, named in the message
 * (those forms are refused whatever they embed).
 *
 * Cloud metadata services and link-local addresses (and metadata host names) are refused always,
 * whatever ALLOW_PRIVATE_API_HOSTS says, `*` included: no model server lives there, and reaching
 * them hands out the machine's cloud credentials.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** ALLOW_PRIVATE_API_HOSTS, parsed. */
export type AllowList = {
  /** `*`: everything is allowed. */
  any: boolean;
  /** Host name entries, lower-case, matched exactly against the URL's host name. */
  names: ReadonlySet<string>;
  /** IP entries (as /32 or /128) and CIDR entries. */
  ranges: ReadonlyArray<readonly [Address, number]>;
  /** Entries that could not be understood (ignored; worth a warning). */
  invalid: readonly string[];
};

/** A refusal: `kind` matches OutboundErrorKind, `reason` is safe to show. */
export type PolicyRefusal = { ok: false; kind: "invalid_url" | "blocked_address"; host: string; reason: string };

/** A URL that passed the checks that need no DNS. */
export type CheckedTarget = {
  ok: true;
  url: URL;
  /** URL host name as written after WHATWG normalisation ("[::1]" keeps its brackets). */
  host: string;
  /** The IP when the host is an IP literal (no brackets); null for names. */
  literal: string | null;
  /** Plain http: every address must then match the allow-list, not merely be public. */
  plainHttp: boolean;
};

const ALLOW_HINT = "list the host in ALLOW_PRIVATE_API_HOSTS to allow it";

const METADATA = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254"]);

/** Names of cloud metadata services (they resolve to the addresses above, but are refused before DNS too). */
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.tencentyun.com",
  "metadata.packet.net",
  "metadata.platformequinix.com",
]);

const NEVER_HINT = "metadata and link-local addresses are never reachable, whatever ALLOW_PRIVATE_API_HOSTS says";

const LABELS: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address",
  private: "a private address",
  reserved: "a reserved (documentation, benchmarking or future-use) address",
  benchmarking: "a benchmarking address",
  uniqueLocal: "a unique-local address",
  deprecatedSiteLocal: "a site-local address",
  discard: "a discard-only address",
  rfc6145: "an IPv4-translated address",
  rfc6052: "a NAT64 address",
  "6to4": "a 6to4 address",
  teredo: "a Teredo address",
};

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function parseAddress(text: string): Address | null {
  try {
    return ipaddr.parse(text);
  } catch {
    return null;
  }
}

/** Parses the ALLOW_PRIVATE_API_HOSTS value: comma-separated names, IPs, CIDRs, or `*`. */
export function parseAllowList(value: string): AllowList {
  const names = new Set<string>();
  const ranges: [Address, number][] = [];
  const invalid: string[] = [];
  let any = false;
  for (const raw of value.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") {
      any = true;
      continue;
    }
    const slash = entry.indexOf("/");
    const ipPart = stripBrackets(slash === -1 ? entry : entry.slice(0, slash));
    if (isIP(ipPart)) {
      const address = parseAddress(ipPart);
      const max = address?.kind() === "ipv4" ? 32 : 128;
      const suffix = slash === -1 ? String(max) : entry.slice(slash + 1);
      const bits = Number(suffix);
      if (address && /^\d{1,3}$/.test(suffix) && bits <= max) ranges.push([address, bits]);
      else invalid.push(raw.trim());
    } else if (slash === -1 && /^[a-z0-9_.-]+$/.test(entry)) {
      names.add(entry);
    } else {
      invalid.push(raw.trim());
    }
  }
  return { any, names, ranges, invalid };
}

/** True when `*` or a name entry allows this URL host name (names never match IP spellings). */
export function hostNameAllowed(list: AllowList, host: string): boolean {
  return list.any || list.names.has(host.toLowerCase());
}

/** True when `*`, an IP entry or a CIDR entry covers this address. */
export function addressAllowed(list: AllowList, address: string): boolean {
  if (list.any) return true;
  const parsed = parseAddress(address);
  if (!parsed) return false;
  return list.ranges.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits));
}

function embeddedIPv4(address: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const p = address.parts;
  const from = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (range === "ipv4Mapped" || range === "rfc6145" || range === "rfc6052") return from(p[6] ?? 0, p[7] ?? 0);
  if (range === "6to4") return from(p[1] ?? 0, p[2] ?? 0);
  if (range === "teredo") return from(~(p[6] ?? 0) & 0xffff, ~(p[7] ?? 0) & 0xffff);
  return null;
}

/** The IPv4 address an IPv6 address carries in any embedding form, IPv4-compatible `::a.b.c.d` included. */
function innerIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  const inner = embeddedIPv4(address, range);
  if (inner) return inner;
  const p = address.parts;
  return p.slice(0, 6).every((part) => part === 0) ? embeddedIPv4(address, "ipv4Mapped") : null;
}

/**
 * Addresses no allow-list can open: cloud metadata services and link-local ranges (169.254.0.0/16,
 * fe80::/10), also when embedded in an IPv6 form. The class as a phrase, or null.
 */
export function neverReachable(address: string): string | null {
  const parsed = parseAddress(address);
  if (!parsed) return null;
  const v4 = parsed.kind() === "ipv4" ? (parsed as ipaddr.IPv4) : innerIPv4(parsed as ipaddr.IPv6);
  const normal = parsed.kind() === "ipv6" ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
  if (METADATA.has(normal) || (v4 && METADATA.has(v4.toString()))) return "a cloud metadata address";
  if (parsed.range() === "linkLocal" || v4?.range() === "linkLocal") return "a link-local address";
  return null;
}

/** Whether a host name is a cloud metadata service's name (any letter case, trailing dot ignored). */
export function isMetadataHostName(host: string): boolean {
  return METADATA_NAMES.has(host.toLowerCase().replace(/\.$/, ""));
}

/**
 * Classifies an IP address: null when it is public unicast, otherwise the class as a phrase
 * ("a private address"). Unparseable input counts as non-public.
 */
export function classifyAddress(address: string): string | null {
  const parsed = parseAddress(address);
  if (!parsed) return "an unrecognised address";
  const normal = parsed.kind() === "ipv6" ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
  if (METADATA.has(normal)) return "a cloud metadata address";
  const range: string = parsed.range();
  if (parsed.kind() === "ipv4") return range === "unicast" ? null : (LABELS[range] ?? `a special-purpose address (${range})`);

  const v6 = parsed as ipaddr.IPv6;
  const inner = embeddedIPv4(v6, range);
  if (inner) {
    const innerClass = classifyAddress(inner.toString());
    if (range === "ipv4Mapped") return innerClass ? `${innerClass} in IPv4-mapped form` : "an IPv4-mapped IPv6 address";
    const label = LABELS[range] ?? "a special-purpose address";
    return innerClass ? `${label} mapping ${innerClass}` : label;
  }
  if (range !== "unicast") return LABELS[range] ?? `a special-purpose address (${range})`;
  if ((v6.parts[0] ?? 0) >> 13 !== 1) {
    return v6.parts.slice(0, 6).every((part) => part === 0) ? "an IPv4-compatible IPv6 address" : "an unassigned IPv6 address";
  }
  return null;
}

/**
 * Judges one address the host name resolved to (or the IP literal itself). Allowed when the
 * host or the address is allow-listed; otherwise refused when the address is not public, and
 * refused for plain http even when it is.
 */
export function checkAddress(
  list: AllowList,
  target: { host: string; address: string; plainHttp: boolean; literal?: boolean },
): PolicyRefusal | { ok: true } {
  const { host, address, plainHttp } = target;
  const verb = target.literal ? "it is" : "resolves to";
  const never = neverReachable(address);
  if (never) return { ok: false, kind: "blocked_address", host, reason: `${verb} ${never} (${address}); ${NEVER_HINT}` };
  if (hostNameAllowed(list, host) || addressAllowed(list, address)) return { ok: true };
  const addressClass = classifyAddress(address);
  if (addressClass) {
    return { ok: false, kind: "blocked_address", host, reason: `${verb} ${addressClass} (${address}); ${ALLOW_HINT}` };
  }
  if (plainHttp) return httpRefusal(host);
  return { ok: true };
}

function httpRefusal(host: string): PolicyRefusal {
  return {
    ok: false,
    kind: "invalid_url",
    host,
    reason: "plain http is only allowed for hosts listed in ALLOW_PRIVATE_API_HOSTS; use https",
  };
}

/**
 * Parses and checks a URL before any network access: http(s) only, no user info, a host, http
 * only for allow-listed hosts, and IP literals (which never go through DNS) judged here.
 */
export function checkUrl(list: AllowList, input: string): CheckedTarget | PolicyRefusal {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, kind: "invalid_url", host: "", reason: "not a valid URL" };
  }
  const host = url.hostname;
  const refuse = (reason: string): PolicyRefusal => ({ ok: false, kind: "invalid_url", host, reason });
  if (url.protocol !== "https:" && url.protocol !== "http:") return refuse("only https URLs are allowed");
  if (host === "") return refuse("the URL has no host");
  if (url.username !== "" || url.password !== "") return refuse("URLs with a user name or password are not allowed");

  if (isMetadataHostName(host))
    return { ok: false, kind: "blocked_address", host, reason: `it is a cloud metadata service; ${NEVER_HINT}` };
  const plainHttp = url.protocol === "http:";
  const literal = isIP(stripBrackets(host)) ? stripBrackets(host) : null;
  if (literal) {
    const verdict = checkAddress(list, { host, address: literal, plainHttp, literal: true });
    if (!verdict.ok) return verdict;
  } else if (plainHttp && !hostNameAllowed(list, host) && list.ranges.length === 0) {
    // Only an IP/CIDR entry could still allow this name (after resolution); there is none.
    return httpRefusal(host);
  }
  return { ok: true, url, host, literal, plainHttp };
}
