import { describe, expect, it } from "vitest";
import { addressAllowed, checkAddress, checkUrl, classifyAddress, hostNameAllowed, parseAllowList } from "./host-policy";

const none = parseAllowList("");

function verdict(url: string, allow = none) {
  const result = checkUrl(allow, url);
  return result.ok ? "ok" : `${result.kind}: ${result.reason}`;
}

describe("checkUrl with an empty allow-list", () => {
  it.each([
    ["127.0.0.1", "a loopback address (127.0.0.1)"],
    ["10.0.0.1", "a private address (10.0.0.1)"],
    ["172.16.0.1", "a private address (172.16.0.1)"],
    ["192.168.1.1", "a private address (192.168.1.1)"],
    ["[::1]", "a loopback address (::1)"],
    ["[::ffff:127.0.0.1]", "a loopback address in IPv4-mapped form (::ffff:7f00:1)"],
    ["[::ffff:7f00:1]", "a loopback address in IPv4-mapped form (::ffff:7f00:1)"],
    ["0.0.0.0", "an unspecified address (0.0.0.0)"],
    ["100.64.0.1", "a carrier-grade NAT address (100.64.0.1)"],
    ["2130706433", "a loopback address (127.0.0.1)"],
    ["0x7f000001", "a loopback address (127.0.0.1)"],
    ["017700000001", "a loopback address (127.0.0.1)"],
    ["0x7f.1", "a loopback address (127.0.0.1)"],
    ["[fc00::1]", "a unique-local address (fc00::1)"],
    ["[64:ff9b::a00:1]", "a NAT64 address mapping a private address (64:ff9b::a00:1)"],
    ["[64:ff9b:1::808:808]", "a NAT64 address (64:ff9b:1::808:808)"],
    ["[2002:a00:1::1]", "a 6to4 address mapping a private address (2002:a00:1::1)"],
    ["[::7f00:1]", "an IPv4-compatible IPv6 address (::7f00:1)"],
    ["[2001:db8::1]", "a reserved (documentation, benchmarking or future-use) address (2001:db8::1)"],
    ["224.0.0.1", "a multicast address (224.0.0.1)"],
    ["255.255.255.255", "a broadcast address (255.255.255.255)"],
    ["198.18.0.1", "a reserved (documentation, benchmarking or future-use) address (198.18.0.1)"],
    ["192.0.2.10", "a reserved (documentation, benchmarking or future-use) address (192.0.2.10)"],
  ])("refuses https://%s/ as %s", (host, phrase) => {
    const result = verdict(`https://${host}/v1/models`);
    expect(result).toBe(`blocked_address: it is ${phrase}; list the host in ALLOW_PRIVATE_API_HOSTS to allow it`);
  });

  it.each(["8.8.8.8", "[2606:4700::1111]", "api.openai.com", "API.OpenAI.com:8443"])("allows https://%s/", (host) => {
    expect(verdict(`https://${host}/`)).toBe("ok");
  });

  it("keeps the normalised host and marks IP literals", () => {
    const result = checkUrl(none, "https://[2606:4700::1111]:8443/x");
    expect(result).toMatchObject({ ok: true, host: "[2606:4700::1111]", literal: "2606:4700::1111", plainHttp: false });
    expect(checkUrl(none, "https://API.example.com/")).toMatchObject({ ok: true, host: "api.example.com", literal: null });
  });

  it.each([
    ["not a url", "not a valid URL"],
    ["ftp://example.com/", "only https URLs are allowed"],
    ["file:///etc/passwd", "only https URLs are allowed"],
    ["javascript:alert(1)", "only https URLs are allowed"],
    ["https://user:pass@example.com/", "URLs with a user name or password are not allowed"],
    ["https://user@example.com/", "URLs with a user name or password are not allowed"],
    ["http://api.openai.com/v1", "plain http is only allowed for hosts listed in ALLOW_PRIVATE_API_HOSTS; use https"],
    ["http://8.8.8.8/", "plain http is only allowed for hosts listed in ALLOW_PRIVATE_API_HOSTS; use https"],
  ])("refuses %s", (url, reason) => {
    expect(verdict(url)).toBe(`invalid_url: ${reason}`);
  });
});

describe("parseAllowList", () => {
  it("splits names, IPs and CIDRs and reports what it cannot read", () => {
    const list = parseAllowList(" LocalHost , 127.0.0.1, 10.0.0.0/8,[::1], fd00::/8 ,, 10.0.0.0/, 1.2.3.4/33, a b, *.x.com");
    expect([...list.names]).toEqual(["localhost"]);
    expect(list.ranges.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual([
      "127.0.0.1/32",
      "10.0.0.0/8",
      "::1/128",
      "fd00::/8",
    ]);
    expect(list.invalid).toEqual(["10.0.0.0/", "1.2.3.4/33", "a b", "*.x.com"]);
    expect(list.any).toBe(false);
  });

  it("treats non-canonical IP spellings as names, which URLs never carry", () => {
    const list = parseAllowList("2130706433");
    expect(list.ranges).toEqual([]);
    expect(verdict("http://2130706433/", list)).toMatch(/^blocked_address: it is a loopback address \(127\.0\.0\.1\)/);
  });
});

describe("allow-list semantics", () => {
  it("a name entry allows that name only, not other spellings of its address", () => {
    const list = parseAllowList("localhost");
    expect(verdict("http://localhost:8080/", list)).toBe("ok");
    expect(verdict("http://LOCALHOST:8080/", list)).toBe("ok");
    for (const url of ["http://127.0.0.1/", "http://[::1]/", "http://2130706433/", "https://127.0.0.1/"]) {
      expect(verdict(url, list)).toMatch(/^blocked_address:/);
    }
    // Resolution of the allowed name may land anywhere, including private space.
    expect(checkAddress(list, { host: "localhost", address: "127.0.0.1", plainHttp: true }).ok).toBe(true);
    expect(checkAddress(list, { host: "other.test", address: "127.0.0.1", plainHttp: false }).ok).toBe(false);
  });

  it("an IP entry allows that address, under any name that resolves to it", () => {
    const list = parseAllowList("127.0.0.1");
    expect(verdict("http://127.0.0.1:9999/", list)).toBe("ok");
    expect(verdict("http://2130706433/", list)).toBe("ok");
    expect(verdict("http://127.0.0.2/", list)).toMatch(/^blocked_address:/);
    expect(checkAddress(list, { host: "emulator.test", address: "127.0.0.1", plainHttp: true }).ok).toBe(true);
    expect(checkAddress(list, { host: "emulator.test", address: "::1", plainHttp: true })).toMatchObject({ kind: "blocked_address" });
    // Another IP family spelling is another address.
    expect(addressAllowed(list, "::ffff:127.0.0.1")).toBe(false);
  });

  it("a CIDR entry allows every address inside it", () => {
    const list = parseAllowList("10.0.0.0/8, fd00::/8");
    expect(addressAllowed(list, "10.20.30.40")).toBe(true);
    expect(addressAllowed(list, "11.0.0.1")).toBe(false);
    expect(addressAllowed(list, "fd12::1")).toBe(true);
    expect(addressAllowed(list, "fc00::1")).toBe(false);
    expect(verdict("http://[fd00::5]/", list)).toBe("ok");
  });

  it("http to a public address is refused even when other entries exist", () => {
    const list = parseAllowList("127.0.0.1");
    expect(checkAddress(list, { host: "api.example.com", address: "93.184.216.34", plainHttp: true })).toMatchObject({
      ok: false,
      kind: "invalid_url",
    });
    expect(checkAddress(list, { host: "api.example.com", address: "93.184.216.34", plainHttp: false }).ok).toBe(true);
    // A name could still resolve into an IP entry, so the decision waits for DNS.
    expect(verdict("http://api.example.com/", list)).toBe("ok");
  });

  it("* allows everything but metadata and link-local", () => {
    const list = parseAllowList("*");
    expect(hostNameAllowed(list, "anything.test")).toBe(true);
    expect(verdict("http://10.0.0.1/", list)).toBe("ok");
    expect(verdict("http://example.com/", list)).toBe("ok");
    expect(verdict("http://169.254.169.254/latest/meta-data", list)).toMatch(/^blocked_address: it is a cloud metadata address/);
  });
});

describe("metadata and link-local addresses are never reachable", () => {
  const NEVER = "metadata and link-local addresses are never reachable, whatever ALLOW_PRIVATE_API_HOSTS says";
  const lists = [
    "",
    "*",
    "169.254.169.254,fd00:ec2::254,100.100.100.200,192.0.0.192,fe80::1",
    "169.254.0.0/16,fe80::/10,::/0,0.0.0.0/0",
    "metadata.google.internal,metadata",
  ];

  it.each(
    lists.flatMap((list) =>
      [
        ["169.254.169.254", "a cloud metadata address (169.254.169.254)"],
        ["169.254.170.2", "a cloud metadata address (169.254.170.2)"],
        ["100.100.100.200", "a cloud metadata address (100.100.100.200)"],
        ["192.0.0.192", "a cloud metadata address (192.0.0.192)"],
        ["[fd00:ec2::254]", "a cloud metadata address (fd00:ec2::254)"],
        ["169.254.1.1", "a link-local address (169.254.1.1)"],
        ["2852039166", "a cloud metadata address (169.254.169.254)"],
        ["[fe80::1]", "a link-local address (fe80::1)"],
        ["[::ffff:169.254.169.254]", "a cloud metadata address (::ffff:a9fe:a9fe)"],
        ["[::169.254.169.254]", "a cloud metadata address (::a9fe:a9fe)"],
        ["[64:ff9b::a9fe:a9fe]", "a cloud metadata address (64:ff9b::a9fe:a9fe)"],
        ["[::ffff:169.254.3.4]", "a link-local address (::ffff:a9fe:304)"],
      ].map(([host, phrase]) => [list, host, phrase] as const),
    ),
  )("allow-list %j refuses %s as %s", (list, host, phrase) => {
    expect(verdict(`http://${host}/latest/meta-data`, parseAllowList(list))).toBe(`blocked_address: it is ${phrase}; ${NEVER}`);
  });

  it.each(
    lists.flatMap((list) =>
      ["metadata.google.internal", "METADATA.goog", "metadata", "instance-data.ec2.internal.", "metadata.tencentyun.com"].map(
        (host) => [list, host] as const,
      ),
    ),
  )("allow-list %j refuses the metadata name %s before DNS", (list, host) => {
    expect(verdict(`http://${host}/computeMetadata/v1/`, parseAllowList(list))).toBe(
      `blocked_address: it is a cloud metadata service; ${NEVER}`,
    );
  });

  it("refuses a name that resolves to a metadata or link-local address, even with *", () => {
    const list = parseAllowList("*");
    expect(checkAddress(list, { host: "imds.attacker.test", address: "169.254.169.254", plainHttp: true })).toEqual({
      ok: false,
      kind: "blocked_address",
      host: "imds.attacker.test",
      reason: `resolves to a cloud metadata address (169.254.169.254); ${NEVER}`,
    });
    expect(checkAddress(list, { host: "ll.attacker.test", address: "fe80::abcd", plainHttp: false }).ok).toBe(false);
    // Private and loopback stay open to the allow-list.
    expect(checkAddress(list, { host: "local.test", address: "127.0.0.1", plainHttp: true }).ok).toBe(true);
  });
});

describe("classifyAddress", () => {
  it("judges the embedded IPv4 of mapped forms but refuses them anyway", () => {
    expect(classifyAddress("::ffff:808:808")).toBe("an IPv4-mapped IPv6 address");
    expect(classifyAddress("::ffff:a00:1")).toBe("a private address in IPv4-mapped form");
    expect(classifyAddress("64:ff9b::808:808")).toBe("a NAT64 address");
  });

  it("judges Teredo by its (inverted) client address", () => {
    // Client 10.0.0.1 is stored inverted: f5ff:fffe.
    expect(classifyAddress("2001:0:4136:e378:8000:63bf:f5ff:fffe")).toBe("a Teredo address mapping a private address");
  });

  it.each(["8.8.8.8", "1.1.1.1", "2606:4700::1111", "2a00:1450:4001:80b::200e"])("%s is public", (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it.each(["4000::1", "100:0:0:1::1"])("%s (outside 2000::/3) is refused", (address) => {
    expect(classifyAddress(address)).toBe("an unassigned IPv6 address");
  });

  it("refuses what it cannot parse", () => {
    expect(classifyAddress("not-an-ip")).toBe("an unrecognised address");
  });
});
