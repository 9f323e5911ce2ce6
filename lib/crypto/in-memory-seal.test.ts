import { describe, expect, it } from "vitest";
import { openInMemory, sealInMemory } from "./in-memory-seal";

describe("in-memory sealing", () => {
  it("opens what it sealed, and the sealed bytes do not contain the plaintext", () => {
    const plaintext = Buffer.from('{"apiKey":"sk-proj-in-memory-seal-0123456789"}', "utf8");
    const sealed = sealInMemory(plaintext);
    expect(sealed.body.includes(Buffer.from("sk-proj-in-memory"))).toBe(false);
    expect(openInMemory(sealed).equals(plaintext)).toBe(true);
    expect(openInMemory(sealed).equals(plaintext)).toBe(true); // as often as asked
  });

  it("uses a fresh IV each time: the same plaintext seals differently", () => {
    const plaintext = Buffer.from("same answer", "utf8");
    const a = sealInMemory(plaintext);
    const b = sealInMemory(plaintext);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.body.equals(b.body)).toBe(false);
  });

  it("refuses altered ciphertext instead of returning garbage", () => {
    const sealed = sealInMemory(Buffer.from("answer", "utf8"));
    const body = Buffer.from(sealed.body);
    body[0]! ^= 1;
    expect(() => openInMemory({ ...sealed, body })).toThrow();
  });
});
