import { describe, expect, it } from "vitest";
import { cleanUpAfterTests, expectKind, fakeResolver, makeFetch, startServer } from "./test-servers";

cleanUpAfterTests();

const timeouts = { headersTimeoutMs: 2_000, idleTimeoutMs: 2_000 };

describe("guardedFetch.stream: the same guard, body left unread", () => {
  it("refuses loopback and metadata addresses before connecting", async () => {
    const target = await startServer((_req, res) => res.end("no"));
    await expectKind(
      makeFetch("").stream(`http://127.0.0.1:${target.port}/`, { method: "GET", headers: {}, ...timeouts }),
      "blocked_address",
    );
    const dns = fakeResolver({ "imds.test": ["169.254.169.254"] });
    await expectKind(
      makeFetch("*", dns.resolve).stream("http://imds.test/", { method: "GET", headers: {}, ...timeouts }),
      "blocked_address",
    );
    await expectKind(makeFetch("*").stream("ftp://example.com/", { method: "GET", headers: {}, ...timeouts }), "invalid_url");
    expect(target.requests).toHaveLength(0);
  });

  it("does not follow redirects, and hands back the body chunk by chunk as it arrives", async () => {
    let finish: () => void = () => {};
    const target = await startServer((req, res) => {
      if (req.url === "/redirect") {
        res.writeHead(302, { location: "http://169.254.169.254/" }).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      finish = () => res.end("data: two\n\n");
    });
    const fetcher = makeFetch("127.0.0.1");
    const redirected = await fetcher.stream(`http://127.0.0.1:${target.port}/redirect`, { method: "GET", headers: {}, ...timeouts });
    expect(redirected.status).toBe(302);
    for await (const _chunk of redirected.body) void _chunk;

    const response = await fetcher.stream(`http://127.0.0.1:${target.port}/`, {
      method: "POST",
      headers: {},
      body: Buffer.from("{}"),
      ...timeouts,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const chunks: string[] = [];
    for await (const chunk of response.body) {
      chunks.push(String(chunk));
      if (chunks.length === 1) finish();
    }
    expect(chunks).toEqual(["data: one\n\n", "data: two\n\n"]);
  });

  it("times out waiting for headers, and errors a body that goes quiet", async () => {
    const target = await startServer((req, res) => {
      if (req.url === "/quiet") {
        res.writeHead(200);
        res.write("x");
      }
    });
    const fetcher = makeFetch("127.0.0.1");
    await expectKind(
      fetcher.stream(`http://127.0.0.1:${target.port}/`, { method: "GET", headers: {}, headersTimeoutMs: 200, idleTimeoutMs: 200 }),
      "timeout",
    );
    const quiet = await fetcher.stream(`http://127.0.0.1:${target.port}/quiet`, {
      method: "GET",
      headers: {},
      headersTimeoutMs: 1000,
      idleTimeoutMs: 200,
    });
    await expect(async () => {
      for await (const _chunk of quiet.body) void _chunk;
    }).rejects.toMatchObject({ code: "UND_ERR_BODY_TIMEOUT" });
  });

  it("aborting the caller's signal closes the upstream connection", async () => {
    let closed = false;
    const target = await startServer((_req, res) => {
      res.writeHead(200);
      res.write("start");
      res.on("close", () => (closed = true));
    });
    const controller = new AbortController();
    const response = await makeFetch("127.0.0.1").stream(`http://127.0.0.1:${target.port}/`, {
      method: "GET",
      headers: {},
      signal: controller.signal,
      ...timeouts,
    });
    controller.abort();
    await expect(async () => {
      for await (const _chunk of response.body) void _chunk;
    }).rejects.toBeTruthy();
    await expect.poll(() => closed).toBe(true);
  });
});
