import { describe, expect, it } from "vitest";
import { openInMemory, sealInMemory } from "./in-memory-seal";

describe("in-memory sealing", () => {
  it("opens what it sealed, and the sealed bytes do not contain the plaintext", () => {
    const plaintext = Buffer.from('{"apiKey":"sk-proj-in-memory-seal-0123456789"}', "utf8");
    const sealed = sealInMemory(plaintext);
    expect(sealed.includes(Buffer.from("sk-proj-in-memory"))).toBe(false);
    expect(openInMemory(sealed).equals(plaintext)).toBe(true);
    expect(openInMemory(sealed).equals(plaintext)).toBe(true); // as often as asked
  });

  it("uses a fresh IV each time: the same plaintext seals differently", () => {
    const plaintext = Buffer.from("same answer", "utf8");
    const a = sealInMemory(plaintext);
    const b = sealInMemory(plaintext);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(a.subarray(28).equals(b.subarray(28))).toBe(false);
  });

  it("refuses altered ciphertext instead of returning garbage", () => {
    for (const offset of [0, 12, 28]) {
      const sealed = sealInMemory(Buffer.from("answer", "utf8"));
      sealed[offset]! ^= 1; // the IV, the tag, the ciphertext
      expect(() => openInMemory(sealed)).toThrow();
    }
  });

  it("keeps each sealed answer in a buffer of its own size, not in a slice of a shared pool", () => {
    const sealed = sealInMemory(Buffer.from('{"apiKey":"sk-short"}', "utf8"));
    expect(sealed.byteOffset).toBe(0);
    expect(sealed.buffer.byteLength).toBe(sealed.length);
    expect(sealed.length).toBe(12 + 16 + 21);
  });
});
