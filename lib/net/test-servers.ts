/**
 * Helpers for the guarded-fetch tests: real HTTP servers on 127.0.0.1, fetchers with an injected
 * allow-list and resolver, and assertions on OutboundError kinds. Test code only.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, expect } from "vitest";
import { createGuardedFetch, type GuardedFetch } from "./guarded-fetch";
import type { Resolver } from "./pinned-lookup";
import { OutboundError, type OutboundErrorKind } from "./types";

export type TestServer = { port: number; requests: IncomingMessage[]; bodies: string[]; server: Server };

const servers: Server[] = [];
const fetchers: GuardedFetch[] = [];

export async function startServer(handler: RequestListener): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => bodies.push(body));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, requests, bodies, server };
}

export function makeFetch(allowPrivateHosts: string, resolve?: Resolver, defaultTimeoutMs = 5_000): GuardedFetch {
  const fetcher = createGuardedFetch({ allowPrivateHosts, defaultTimeoutMs, resolve });
  fetchers.push(fetcher);
  return fetcher;
}

/** A resolver that answers from a table and counts its calls. */
export function fakeResolver(table: Record<string, string[] | (() => string[])>) {
  const calls: string[] = [];
  const resolve: Resolver = async (hostname) => {
    calls.push(hostname);
    const entry = table[hostname];
    const addresses = typeof entry === "function" ? entry() : entry;
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, calls };
}

export async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundError);
    return error as OutboundError;
  }
  throw new Error("expected the request to fail");
}

export async function expectKind(promise: Promise<unknown>, kind: OutboundErrorKind): Promise<OutboundError> {
  const error = await failure(promise);
  expect(error.kind, error.message).toBe(kind);
  return error;
}

/** A throwaway self-signed certificate for localhost, or null without the openssl CLI. */
export function selfSignedCert(): { key: Buffer; cert: Buffer } | null {
  const dir = mkdtempSync(path.join(tmpdir(), "byok-cert-"));
  try {
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"].concat([
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost",
        "-keyout",
        key,
        "-out",
        cert,
      ]),
      { stdio: "ignore" },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const hello: RequestListener = (_req, res) => res.end("hello");

/** Closes the fetchers after each test and the servers after the file. Call once per file. */
export function cleanUpAfterTests(): void {
  afterEach(async () => {
    await Promise.all(fetchers.splice(0).map((fetcher) => fetcher.close()));
  });
  afterAll(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
}

/** Starts an https server on 127.0.0.1 (closed with the others). */
export async function startTlsServer(options: { key: Buffer; cert: Buffer }, handler: RequestListener): Promise<number> {
  const server = createTlsServer(options, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}
