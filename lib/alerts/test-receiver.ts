/**
 * A real webhook receiver for tests: an HTTP server on 127.0.0.1 that answers each POST with the
 * next status of a script (the last one repeats) and records every request it got.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string; at: number; status: number };

export type Receiver = {
  /** Where to point the webhook: http://127.0.0.1:<port>/hook */
  url: string;
  requests: () => ReceivedRequest[];
  /** Resolves once at least `count` requests arrived (rejects after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<ReceivedRequest[]>;
  close: () => Promise<void>;
};

/** Starts a receiver answering `statuses` in order (e.g. [500, 500, 200]); `delayMs` holds each answer. */
export async function startReceiver(statuses: number[] = [200], options: { delayMs?: number } = {}): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: (r: ReceivedRequest[]) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)] ?? 200;
      received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
        status,
      });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...received]);
      }
      setTimeout(() => {
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(status < 300 ? "ok" : "receiver says no");
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests: () => [...received],
    waitFor: (count, timeoutMs = 15_000) =>
      received.length >= count
        ? Promise.resolve([...received])
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${count} requests`)), timeoutMs);
            waiters.push({
              count,
              resolve: (r) => {
                clearTimeout(timer);
                resolve(r);
              },
            });
          }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
