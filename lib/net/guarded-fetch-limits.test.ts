import { describe, expect, it } from "vitest";
import type { Resolver } from "./pinned-lookup";
import { cleanUpAfterTests, expectKind, failure, hello, makeFetch, startServer } from "./test-servers";

cleanUpAfterTests();

describe("guardedFetch: redirects, body cap, timeouts and failures", () => {
  it("returns a 302 as is and never follows Location", async () => {
    const elsewhere = await startServer(hello);
    const target = await startServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/stolen` });
      res.end("moved");
    });
    const response = await makeFetch("127.0.0.1")(`http://127.0.0.1:${target.port}/start`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`http://127.0.0.1:${elsewhere.port}/stolen`);
    expect(response.text).toBe("moved");
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("truncates a body over the cap and cancels the rest", async () => {
    const chunk = "x".repeat(64 * 1024);
    let written = 0;
    const target = await startServer((_req, res) => {
      const pump = () => {
        while (written < 8 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("error", () => undefined);
      pump();
    });
    const response = await makeFetch("127.0.0.1")(`http://127.0.0.1:${target.port}/big`);
    expect(response.truncated).toBe(true);
    expect(response.text.length).toBe(1024 * 1024);
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it("honours maxBytes, does not split a UTF-8 character, and does not flag an exact fit", async () => {
    const target = await startServer((_req, res) => res.end("héllo wörld"));
    const fetcher = makeFetch("127.0.0.1");
    const cut = await fetcher(`http://127.0.0.1:${target.port}/`, { maxBytes: 2 });
    expect(cut).toMatchObject({ text: "h", truncated: true });
    const exact = await fetcher(`http://127.0.0.1:${target.port}/`, { maxBytes: Buffer.byteLength("héllo wörld") });
    expect(exact).toMatchObject({ text: "héllo wörld", truncated: false });
  });

  it("times out a server that never answers within about timeoutMs", async () => {
    const target = await startServer(() => undefined);
    const started = Date.now();
    const error = await expectKind(makeFetch("127.0.0.1")(`http://127.0.0.1:${target.port}/slow`, { timeoutMs: 300 }), "timeout");
    expect(error.message).toBe("timed out after 0.3 s");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("times out a body that stalls, using the default timeout", async () => {
    const target = await startServer((_req, res) => res.write("partial"));
    const started = Date.now();
    await expectKind(makeFetch("127.0.0.1", undefined, 300)(`http://127.0.0.1:${target.port}/`), "timeout");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("stops when the caller's signal aborts", async () => {
    const target = await startServer(() => undefined);
    const fetcher = makeFetch("127.0.0.1");
    const error = await expectKind(fetcher(`http://127.0.0.1:${target.port}/`, { signal: AbortSignal.timeout(200) }), "timeout");
    expect(error.message).toContain("cancelled");
    await expectKind(fetcher(`http://127.0.0.1:${target.port}/`, { signal: AbortSignal.abort() }), "timeout");
  });

  it("reports a refused connection as connect", async () => {
    const closed = await startServer(hello);
    const { port } = closed;
    await new Promise((resolve) => closed.server.close(resolve));
    const error = await expectKind(makeFetch("127.0.0.1")(`http://127.0.0.1:${port}/`), "connect");
    expect(error.message).toBe("the connection was refused");
  });

  it("reports an unresolvable name as dns", async () => {
    const error = await expectKind(makeFetch("")("https://nonexistent.invalid/v1?key=SECRET"), "dns");
    expect(error.host).toBe("nonexistent.invalid");
    expect(error.message).not.toContain("SECRET");
  });

  it("times out a DNS lookup that never answers", async () => {
    const resolve: Resolver = () => new Promise(() => undefined);
    await expectKind(makeFetch("", resolve)("https://slow-dns.test/", { timeoutMs: 200 }), "timeout");
  });

  it("sends HEAD and returns an empty body", async () => {
    const target = await startServer(hello);
    const response = await makeFetch("127.0.0.1")(`http://127.0.0.1:${target.port}/`, { method: "HEAD" });
    expect(response).toMatchObject({ status: 200, text: "", truncated: false });
    expect(target.requests[0]?.method).toBe("HEAD");
  });

  it("wraps a request undici refuses to send as an OutboundError", async () => {
    const target = await startServer(hello);
    const fetcher = makeFetch("127.0.0.1");
    const error = await expectKind(fetcher(`http://127.0.0.1:${target.port}/`, { headers: { "x-key": "sk-1\r\nx: y" } }), "network");
    expect(error.message).not.toContain("sk-1");
    expect(target.requests).toHaveLength(0);
  });

  it("never puts request headers or bodies in error messages", async () => {
    const target = await startServer((req) => req.socket.destroy());
    const error = await failure(
      makeFetch("127.0.0.1")(`http://127.0.0.1:${target.port}/v1?api_key=SECRET1`, {
        method: "POST",
        headers: { authorization: "Bearer SECRET2" },
        body: "SECRET3",
      }),
    );
    expect(["connect", "network"]).toContain(error.kind);
    expect(error.message).not.toMatch(/SECRET/);
  });
});
