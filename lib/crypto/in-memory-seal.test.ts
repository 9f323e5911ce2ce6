import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { inMemorySealer, nodeSealer, sealInMemory, sodiumSealer, withOpenedInMemory, type InMemorySealer } from "./in-memory-seal";

const sodium = createRequire(import.meta.url)("sodium-native") as Parameters<typeof sodiumSealer>[0];

it("uses libsodium on this platform (sodium-native has a build for it), not the node:crypto fallback", () => {
  expect(inMemorySealer.name).toBe("xchacha20-poly1305 (libsodium)");
  const plaintext = Buffer.from("through the module's own functions", "utf8");
  expect(withOpenedInMemory(sealInMemory(plaintext), (opened) => Buffer.from(opened).equals(plaintext))).toBe(true);
});

/** Nonce and tag lengths of each sealer's layout: nonce, then (libsodium) ciphertext + tag or (node) tag + ciphertext. */
const cases: [string, InMemorySealer, { nonce: number; overhead: number; tamper: number[] }][] = [
  ["libsodium XChaCha20-Poly1305", sodiumSealer(sodium), { nonce: 24, overhead: 24 + 16, tamper: [0, 23, 24, -1] }],
  ["node:crypto AES-256-GCM", nodeSealer(), { nonce: 12, overhead: 12 + 16, tamper: [0, 12, 28, -1] }],
];

describe.each(cases)("in-memory sealing with %s", (_name, sealer, layout) => {
  it("opens what it sealed, and the sealed bytes do not contain the plaintext", () => {
    const plaintext = Buffer.from('{"apiKey":"sk-proj-in-memory-seal-0123456789"}', "utf8");
    const sealed = sealer.seal(plaintext);
    expect(sealed.includes(Buffer.from("sk-proj-in-memory"))).toBe(false);
    expect(sealer.open(sealed).equals(plaintext)).toBe(true);
    expect(sealer.open(sealed).equals(plaintext)).toBe(true); // as often as asked
  });

  it("uses a fresh nonce each time: the same plaintext seals differently", () => {
    const plaintext = Buffer.from("same answer", "utf8");
    const a = sealer.seal(plaintext);
    const b = sealer.seal(plaintext);
    expect(a.subarray(0, layout.nonce).equals(b.subarray(0, layout.nonce))).toBe(false);
    expect(a.subarray(layout.nonce).equals(b.subarray(layout.nonce))).toBe(false);
  });

  it("refuses altered bytes (nonce, tag or ciphertext) and truncated input instead of returning garbage", () => {
    for (const offset of layout.tamper) {
      const sealed = sealer.seal(Buffer.from("answer", "utf8"));
      sealed[offset < 0 ? sealed.length + offset : offset]! ^= 1;
      expect(() => sealer.open(sealed)).toThrow();
    }
    const sealed = sealer.seal(Buffer.from("answer", "utf8"));
    expect(() => sealer.open(sealed.subarray(0, layout.overhead - 1) as typeof sealed)).toThrow();
  });

  it("does not open what another process's key sealed", () => {
    const other = sealer === cases[0]![1] ? sodiumSealer(sodium) : nodeSealer();
    expect(() => sealer.open(other.seal(Buffer.from("answer", "utf8")))).toThrow();
  });

  it("keeps sealed and opened bytes in buffers of their own size, not in slices of a shared pool", () => {
    const plaintext = Buffer.from('{"apiKey":"sk-short"}', "utf8");
    const sealed = sealer.seal(plaintext);
    expect(sealed.byteOffset).toBe(0);
    expect(sealed.buffer.byteLength).toBe(sealed.length);
    expect(sealed.length).toBe(layout.overhead + plaintext.length);
    const opened = sealer.open(sealed);
    expect(opened.buffer.byteLength).toBe(opened.length);
  });

  it("opens into a buffer it is given (returning the view that holds the plaintext), and refuses one too short", () => {
    const plaintext = Buffer.from('{"apiKey":"sk-into"}', "utf8");
    const sealed = sealer.seal(plaintext);
    const into = Buffer.alloc(sealed.length + 10, 0xff);
    const opened = sealer.open(sealed, into);
    expect(opened.equals(plaintext)).toBe(true);
    expect(opened.buffer).toBe(into.buffer);
    expect(opened.byteOffset).toBe(into.byteOffset);
    expect(() => sealer.open(sealed, Buffer.alloc(sealed.length - 1))).toThrow(/shorter/);
  });
});

describe("withOpenedInMemory", () => {
  const key = '{"apiKey":"sk-proj-scratch-0123456789"}';
  const sealed = sealInMemory(Buffer.from(key, "utf8"));
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

  it("hands the plaintext to its callback and zeroes it as soon as the callback returns", () => {
    let seen: Uint8Array | undefined;
    expect(withOpenedInMemory(sealed, (bytes) => ((seen = bytes), text(bytes)))).toBe(key);
    expect(seen!.length).toBe(key.length);
    expect(seen!.every((byte) => byte === 0)).toBe(true);
  });

  it("zeroes it when the callback throws, and is usable again after", () => {
    let seen: Uint8Array | undefined;
    expect(() =>
      withOpenedInMemory(sealed, (bytes) => {
        seen = bytes;
        throw new Error("the caller failed");
      }),
    ).toThrow("the caller failed");
    expect(seen!.every((byte) => byte === 0)).toBe(true);
    expect(withOpenedInMemory(sealed, text)).toBe(key);
  });

  it("zeroes what a refused (altered) opening may have written, and throws", () => {
    const altered = Buffer.from(sealed) as typeof sealed;
    altered[altered.length - 1]! ^= 1;
    expect(() => withOpenedInMemory(altered, text)).toThrow();
    expect(withOpenedInMemory(sealed, text)).toBe(key);
  });

  it("gives a nested opening a buffer of its own: both answers intact, both zeroed after", () => {
    const other = '{"apiKey":"sk-proj-the-other-one"}';
    const seen: Uint8Array[] = [];
    const both = withOpenedInMemory(sealed, (outer) => {
      seen.push(outer);
      const inner = withOpenedInMemory(sealInMemory(Buffer.from(other, "utf8")), (bytes) => (seen.push(bytes), text(bytes)));
      return [text(outer), inner];
    });
    expect(both).toEqual([key, other]);
    expect(seen[0]!.buffer).not.toBe(seen[1]!.buffer);
    for (const bytes of seen) expect(bytes.every((byte) => byte === 0)).toBe(true);
  });

  it("a Response made inside the callback keeps its body after the bytes are zeroed (it copies them when made)", async () => {
    const response = withOpenedInMemory(sealed, (bytes) => new Response(bytes as BodyInit, { status: 200 }));
    expect(await response.text()).toBe(key);
  });

  it("grows its buffer for a longer answer", () => {
    const long = JSON.stringify({ apiKey: "sk-" + "x".repeat(5000) });
    expect(withOpenedInMemory(sealInMemory(Buffer.from(long, "utf8")), text)).toBe(long);
    expect(withOpenedInMemory(sealed, text)).toBe(key);
  });
});
