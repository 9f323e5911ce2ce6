/**
 * The emulator's HTTP server: records each request, hands it to the provider whose mount matches,
 * delays `slow` keys, streams streamed replies, tracks responses the client closed before they were
 * complete, and serves its own log under `/__emulator` (`requests`, `connections`, `health`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { providerForPath } from "./registry";
import { json, writeReply } from "./replies";
import { headersOf, readBody } from "./request";
import { scenarioOf } from "./scenarios";
import { preciseNow } from "./streaming/plan";
import { writeStream } from "./streaming/writer";
import type { ClosedEarly, ConnectionReport, Emulator, EmulatorOptions, RecordedRequest, Reply } from "./types";

const CONTROL_PREFIX = "/__emulator";

export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const slowMs = options.slowMs ?? 15_000;
  let log: RecordedRequest[] = [];
  let open = 0;
  let completed = 0;
  let closedEarly: ClosedEarly[] = [];
  const report = (): ConnectionReport => ({ open, completed, closedEarly: closedEarly.map((entry) => ({ ...entry })) });
  const resetConnections = () => {
    completed = 0;
    closedEarly = [];
  };
  // Pending `slow` waits, ended early on close so it never hangs on them.
  const waits = new Set<() => void>();

  function wait(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waits.delete(done);
        res.off("close", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waits.add(done);
      res.on("close", done);
    });
  }

  function control(method: string, pathname: string): Reply {
    if (pathname === `${CONTROL_PREFIX}/requests` && method === "GET") return json(200, log);
    if (pathname === `${CONTROL_PREFIX}/requests` && method === "DELETE") {
      log = [];
      return { status: 204 };
    }
    if (pathname === `${CONTROL_PREFIX}/connections` && method === "GET") return json(200, report());
    if (pathname === `${CONTROL_PREFIX}/connections` && method === "DELETE") {
      resetConnections();
      return { status: 204 };
    }
    if (pathname === `${CONTROL_PREFIX}/health` && method === "GET") return json(200, { ok: true });
    return json(404, { error: `no emulator control endpoint ${method} ${pathname}` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const rawPath = req.url ?? "/";
    const url = new URL(rawPath, "http://emulator.invalid");
    const body = await readBody(req);
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      writeReply(res, control(method, url.pathname));
      return;
    }
    const headers = headersOf(req.rawHeaders);
    const provider = providerForPath(url.pathname);
    const tracked: ClosedEarly = {
      provider: provider?.id ?? "unknown",
      credential: provider?.credential(headers),
      method,
      path: rawPath,
      startedAt: preciseNow(),
      closedAt: 0,
      framesSent: 0,
    };
    open++;
    res.once("close", () => {
      open--;
      if (res.writableFinished) completed++;
      else closedEarly.push({ ...tracked, closedAt: preciseNow() });
    });
    log.push({ provider: provider?.id ?? "unknown", method, path: rawPath, headers, body: body ?? "", at: Date.now() });

    let reply: Reply;
    if (body === null) reply = json(413, { error: { message: "Request body too large.", type: "invalid_request_error" } });
    else if (!provider) reply = json(404, { error: `no emulated provider serves ${url.pathname}` });
    else {
      const path = url.pathname.slice(provider.mount.length) || "/";
      reply = await provider.handle({ method, path, query: url.searchParams, headers, body });
      if (scenarioOf(provider.credential(headers)).has("slow")) await wait(slowMs, res);
    }
    if (res.destroyed || res.headersSent) return;
    if (reply.stream) {
      await writeStream(res, reply.status, reply.headers ?? {}, reply.stream, () => tracked.framesSent++);
    } else writeReply(res, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      writeReply(res, json(500, { error: `emulator failure: ${String(error)}` }));
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests: () => log.map((entry) => ({ ...entry, headers: { ...entry.headers } })),
        clear: () => {
          log = [];
        },
        connections: report,
        clearConnections: resetConnections,
        close: () =>
          new Promise<void>((done, fail) => {
            for (const end of [...waits]) end();
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
