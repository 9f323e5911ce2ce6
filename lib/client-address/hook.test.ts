/**
 * The hook on a real node:http server: what a handler sees for requests with forged headers.
 * (Installing it patches http.Server in this test file's process only.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientIp } from "@/lib/auth/request-ip";
import { installClientAddressHook } from "./hook";
import { CLIENT_ADDRESS_HEADER, readStamp, stampValue } from "./stamp";

let server: http.Server;
let url: string;

beforeAll(async () => {
  // A server created before the hook is installed is covered too (Next creates its server first).
  server = http.createServer((req, res) => {
    const header = req.headers[CLIENT_ADDRESS_HEADER];
    const raw = req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i]!.toLowerCase() === CLIENT_ADDRESS_HEADER).length;
    res.end(JSON.stringify({ address: readStamp(typeof header === "string" ? header : null), raw }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function seen(headers: Record<string, string>) {
  return (await (await fetch(url, { headers })).json()) as { address: string | null; raw: number };
}

describe("client address hook", () => {
  it("before installation, a forged private header carries no valid stamp", async () => {
    const forged = await seen({ [CLIENT_ADDRESS_HEADER]: "anything 198.51.100.1" });
    expect(forged.address).toBeNull();
  });

  it("with 0 hops, the handler sees the socket's address and never the client's headers", async () => {
    installClientAddressHook(0);
    expect(await seen({})).toMatchObject({ address: "127.0.0.1", raw: 0 });
    expect(await seen({ "x-forwarded-for": "203.0.113.5" })).toMatchObject({ address: "127.0.0.1" });
    // Even a correctly stamped value sent by a client is deleted (from headers and rawHeaders).
    expect(await seen({ [CLIENT_ADDRESS_HEADER]: stampValue("198.51.100.1") })).toEqual({ address: "127.0.0.1", raw: 0 });
  });

  it("is installed once; a second call changes the hop count", async () => {
    installClientAddressHook(1);
    expect(await seen({ "x-forwarded-for": "6.6.6.6, 203.0.113.5" })).toMatchObject({ address: "203.0.113.5" });
    expect(await seen({ "x-forwarded-for": "not-an-ip" })).toMatchObject({ address: "127.0.0.1" });
    installClientAddressHook(0);
    expect(await seen({ "x-forwarded-for": "203.0.113.5" })).toMatchObject({ address: "127.0.0.1" });
  });

  it("clientIp reads only stamped values", () => {
    expect(clientIp(new Headers({ [CLIENT_ADDRESS_HEADER]: stampValue("203.0.113.7") }))).toBe("203.0.113.7");
    expect(clientIp(new Headers({ [CLIENT_ADDRESS_HEADER]: "forged 203.0.113.7" }))).toBeNull();
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7" }))).toBeNull();
    expect(clientIp(new Headers())).toBeNull();
  });

  it("refuses a stamp that differs from this process's in any one character, or carries no address", () => {
    const stamped = stampValue("203.0.113.7");
    const secretLength = stamped.indexOf(" ");
    expect(readStamp(stamped)).toBe("203.0.113.7");
    for (const at of [0, Math.floor(secretLength / 2), secretLength - 1]) {
      const flipped = stamped.charCodeAt(at) === 0x41 ? "B" : "A";
      expect(readStamp(stamped.slice(0, at) + flipped + stamped.slice(at + 1)), `character ${at} changed`).toBeNull();
    }
    expect(readStamp(stamped.slice(0, secretLength + 1)), "no address").toBeNull();
    expect(readStamp(`${stamped.slice(0, secretLength - 1)} 203.0.113.7`), "secret one character short").toBeNull();
    expect(readStamp(`${stamped.slice(0, secretLength)}x 203.0.113.7`), "secret one character long").toBeNull();
    expect(readStamp(` ${stamped}`), "leading space").toBeNull();
  });
});
