import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { inMemorySealer, nodeSealer, openInMemory, sealInMemory, sodiumSealer, type InMemorySealer } from "./in-memory-seal";

const sodium = createRequire(import.meta.url)("sodium-native") as Parameters<typeof sodiumSealer>[0];

it("uses libsodium on this platform (sodium-native has a build for it), not the node:crypto fallback", () => {
  expect(inMemorySealer.name).toBe("xchacha20-poly1305 (libsodium)");
  const plaintext = Buffer.from("through the module's own functions", "utf8");
  expect(openInMemory(sealInMemory(plaintext)).equals(plaintext)).toBe(true);
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
});
