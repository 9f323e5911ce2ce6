import { describe, expect, it } from "vitest";
import { cleanUpAfterTests, expectKind, fakeResolver, hello, makeFetch, selfSignedCert, startServer, startTlsServer } from "./test-servers";

cleanUpAfterTests();

describe("guardedFetch: which hosts and addresses it reaches", () => {
  it("refuses 127.0.0.1 when it is not allowed, before connecting", async () => {
    const target = await startServer(hello);
    const fetcher = makeFetch("");
    for (const url of [`http://127.0.0.1:${target.port}/`, `https://127.0.0.1:${target.port}/`, `http://2130706433:${target.port}/`]) {
      const error = await expectKind(fetcher(url), "blocked_address");
      expect(error.host).toBe("127.0.0.1");
      expect(error.message).toContain("loopback address (127.0.0.1)");
      expect(error.message).toContain("ALLOW_PRIVATE_API_HOSTS");
    }
    expect(target.requests).toHaveLength(0);
  });

  it("reaches 127.0.0.1 over http when allowed, sending the caller's headers and body as given", async () => {
    const target = await startServer((req, res) => {
      res.setHeader("x-test", "yes");
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.statusCode = 201;
      res.end(`you sent ${req.method} ${req.url}`);
    });
    const fetcher = makeFetch("127.0.0.1");
    const response = await fetcher(`http://127.0.0.1:${target.port}/v1/chat?x=1#frag`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", "content-type": "application/json", host: "evil.test" },
      body: '{"max_tokens":1}',
    });
    expect(response).toMatchObject({ status: 201, text: "you sent POST /v1/chat?x=1", truncated: false });
    expect(response.url).toBe(`http://127.0.0.1:${target.port}/v1/chat?x=1`);
    expect(response.headers.get("x-test")).toBe("yes");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    const [req] = target.requests;
    expect(req?.headers).toMatchObject({
      authorization: "Bearer sk-test",
      "content-type": "application/json",
      "user-agent": "BYOK/1.0",
      host: `127.0.0.1:${target.port}`,
    });
    expect(req?.headers.cookie).toBeUndefined();
    expect(target.bodies).toEqual(['{"max_tokens":1}']);
  });

  it("keeps a caller's user-agent", async () => {
    const target = await startServer(hello);
    await makeFetch("127.0.0.1")(`http://127.0.0.1:${target.port}/`, { headers: { "User-Agent": "custom/2" } });
    expect(target.requests[0]?.headers["user-agent"]).toBe("custom/2");
  });

  it("never reaches a name that resolves to the metadata service, even with ALLOW_PRIVATE_API_HOSTS=*", async () => {
    const dns = fakeResolver({ "imds.attacker.test": ["169.254.169.254"], "ll.attacker.test": ["fe80::1"] });
    const fetcher = makeFetch("*", dns.resolve);
    const error = await expectKind(fetcher("http://imds.attacker.test/latest/meta-data/iam/"), "blocked_address");
    expect(error.message).toContain("cloud metadata address (169.254.169.254)");
    await expectKind(fetcher("http://ll.attacker.test/"), "blocked_address");
    await expectKind(fetcher("http://metadata.google.internal/computeMetadata/v1/"), "blocked_address");
    expect(dns.calls).toEqual(["imds.attacker.test", "ll.attacker.test"]);
  });

  it("refuses plain http to a public-looking host name", async () => {
    const error = await expectKind(makeFetch("")("http://api.openai.com/v1/models?key=SECRET"), "invalid_url");
    expect(error.host).toBe("api.openai.com");
    expect(error.message).not.toContain("SECRET");

    // With IP entries present the name is resolved first, and refused because its address is public.
    const dns = fakeResolver({ "api.example.com": ["93.184.216.34"] });
    const error2 = await expectKind(makeFetch("127.0.0.1", dns.resolve)("http://api.example.com/"), "invalid_url");
    expect(error2.message).toContain("plain http");
    expect(dns.calls).toEqual(["api.example.com"]);
  });

  it("reports a TLS handshake failure as tls", async () => {
    const target = await startServer(hello);
    await expectKind(makeFetch("localhost")(`https://localhost:${target.port}/`), "tls");
  });

  const cert = selfSignedCert();

  it.skipIf(!cert)("verifies certificates: a self-signed one fails as tls", async () => {
    const port = await startTlsServer(cert ?? { key: Buffer.alloc(0), cert: Buffer.alloc(0) }, hello);
    const dns = fakeResolver({ localhost: ["127.0.0.1"] });
    const error = await expectKind(makeFetch("localhost", dns.resolve)(`https://localhost:${port}/`), "tls");
    expect(error.message).toContain("DEPTH_ZERO_SELF_SIGNED_CERT");
  });

  it("blocks a name that resolves to loopback unless that name is allowed", async () => {
    const target = await startServer(hello);
    const blocked = await expectKind(makeFetch("")(`https://localhost:${target.port}/`), "blocked_address");
    expect(blocked.message).toMatch(/^resolves to a loopback address \(/);
    await expectKind(makeFetch("")(`http://localhost:${target.port}/`), "invalid_url");

    const dns = fakeResolver({ localhost: ["127.0.0.1"] });
    const response = await makeFetch("localhost", dns.resolve)(`http://localhost:${target.port}/`);
    expect(response.text).toBe("hello");
    // `localhost` allowed does not allow the address itself.
    await expectKind(makeFetch("localhost")(`http://127.0.0.1:${target.port}/`), "blocked_address");
  });

  it("refuses a name whose answers include any private address", async () => {
    const dns = fakeResolver({ "evil.test": ["8.8.8.8", "10.0.0.1"] });
    const error = await expectKind(makeFetch("", dns.resolve)("https://evil.test/"), "blocked_address");
    expect(error.host).toBe("evil.test");
    expect(error.message).toBe("resolves to a private address (10.0.0.1); list the host in ALLOW_PRIVATE_API_HOSTS to allow it");
  });

  it("connects to the address it checked, resolving once per connection", async () => {
    const target = await startServer((_req, res) => {
      res.setHeader("connection", "close");
      res.end("pinned");
    });
    // emulator.test exists only in this resolver: reaching the server proves the socket used it.
    const answers = [["127.0.0.1"], ["10.0.0.1"]];
    const dns = fakeResolver({ "emulator.test": () => answers.shift() ?? [] });
    const fetcher = makeFetch("127.0.0.1", dns.resolve);
    const response = await fetcher(`http://emulator.test:${target.port}/`);
    expect(response.text).toBe("pinned");
    expect(dns.calls).toEqual(["emulator.test"]);
    expect(target.requests[0]?.headers.host).toBe(`emulator.test:${target.port}`);

    // The next connection resolves again and is judged again (a rebinding attempt).
    const error = await expectKind(fetcher(`http://emulator.test:${target.port}/`), "blocked_address");
    expect(error.message).toContain("10.0.0.1");
    expect(dns.calls).toEqual(["emulator.test", "emulator.test"]);
    expect(target.requests).toHaveLength(1);
  });

  it("refuses bad URLs with invalid_url", async () => {
    const fetcher = makeFetch("*");
    await expectKind(fetcher("https://user:pass@example.com/"), "invalid_url");
    await expectKind(fetcher("ftp://example.com/"), "invalid_url");
    await expectKind(fetcher("::not a url::"), "invalid_url");
  });
});
