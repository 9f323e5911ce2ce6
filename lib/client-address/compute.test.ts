import { describe, expect, it } from "vitest";
import { clientAddressFrom, normalizeAddress, rateLimitKeyFor } from "./compute";

const from = (socketAddress: string | undefined, forwardedFor: string | undefined, hops: number) =>
  clientAddressFrom({ socketAddress, forwardedFor, hops });

describe("clientAddressFrom", () => {
  it("with 0 hops is the socket, whatever X-Forwarded-For says", () => {
    expect(from("198.51.100.7", "203.0.113.1", 0)).toBe("198.51.100.7");
    expect(from("198.51.100.7", "203.0.113.1, 10.0.0.1", 0)).toBe("198.51.100.7");
    expect(from("198.51.100.7", undefined, 0)).toBe("198.51.100.7");
  });

  it("with 1 hop is the entry the proxy appended (the rightmost), not what the client sent", () => {
    // The client sent "6.6.6.6"; the proxy (10.0.0.2, the socket) appended the client's real address.
    expect(from("10.0.0.2", "6.6.6.6, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(from("10.0.0.2", "203.0.113.9", 1)).toBe("203.0.113.9");
  });

  it("with 2 hops walks two entries from the right", () => {
    expect(from("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", 2)).toBe("203.0.113.9");
  });

  it("a chain shorter than the hops gives its leftmost (still trusted) entry", () => {
    expect(from("10.0.0.3", "10.0.0.2", 2)).toBe("10.0.0.2");
    expect(from("10.0.0.3", undefined, 2)).toBe("10.0.0.3");
    expect(from("10.0.0.3", "", 1)).toBe("10.0.0.3");
  });

  it("garbage stops the walk at the nearest trusted address, never returning attacker text", () => {
    expect(from("10.0.0.2", "203.0.113.9, <script>", 1)).toBe("10.0.0.2");
    expect(from("10.0.0.3", "6.6.6.6, unknown, 10.0.0.2", 2)).toBe("10.0.0.2");
    expect(from("10.0.0.2", "203.0.113.9,", 1)).toBe("10.0.0.2");
    expect(from("10.0.0.2", "evil.example", 1)).toBe("10.0.0.2");
    expect(from("10.0.0.2", "127.1", 1)).toBe("10.0.0.2");
    expect(from("10.0.0.2", "2130706433", 1)).toBe("10.0.0.2");
  });

  it("normalises IPv6 and unwraps IPv4-mapped addresses, from the socket and from proxies", () => {
    expect(from("::ffff:127.0.0.1", undefined, 0)).toBe("127.0.0.1");
    expect(from("::FFFF:7f00:1", undefined, 0)).toBe("127.0.0.1");
    expect(from("2001:DB8:0:0:0:0:0:1", undefined, 0)).toBe("2001:db8::1");
    expect(from("::1", "2001:db8::5", 1)).toBe("2001:db8::5");
    expect(from("::1", "::ffff:203.0.113.4", 1)).toBe("203.0.113.4");
    expect(from("::1", "[2001:db8::5]:4711", 1)).toBe("2001:db8::5");
    expect(from("::1", "203.0.113.4:4711", 1)).toBe("203.0.113.4");
    expect(from("fe80::1%eth0", undefined, 0)).toBe("fe80::1");
  });

  it("is null only without a usable socket address", () => {
    expect(from(undefined, "203.0.113.9", 1)).toBeNull();
    expect(from("", undefined, 0)).toBeNull();
  });
});

describe("normalizeAddress", () => {
  it("refuses anything that is not a plain address", () => {
    for (const bad of ["", "  ", "unknown", "0x7f.0.0.1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "a".repeat(200), "1.2.3.4 5.6.7.8"]) {
      expect(normalizeAddress(bad)).toBeNull();
    }
    expect(normalizeAddress(" 203.0.113.4 ")).toBe("203.0.113.4");
  });
});

describe("rateLimitKeyFor", () => {
  it("keys IPv4 by address, IPv6 by its /64, and unknown addresses share one bucket", () => {
    expect(rateLimitKeyFor("203.0.113.4")).toBe("203.0.113.4");
    expect(rateLimitKeyFor("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyFor("2001:db8:1:2:bbbb::9")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyFor(null)).toBe("unknown");
  });
});
