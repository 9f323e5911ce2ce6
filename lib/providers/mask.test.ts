import { describe, expect, it } from "vitest";
import { maskSecret, maskSecretsIn } from "./mask";

const OPENAI_KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijKLMNOPqrstMxYA";
const ANTHROPIC_KEY = "sk-ant-api03-R2D2C3POr2d2c3poR2D2C3POr2d2c3poR2D2C3PO-abcdEFGH";
const OPENROUTER_KEY = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef01234567";

describe("maskSecret", () => {
  it("keeps a recognisable prefix and the last 4", () => {
    expect(maskSecret(OPENAI_KEY)).toBe("sk-proj-…MxYA");
    expect(maskSecret(ANTHROPIC_KEY)).toBe("sk-ant-…EFGH");
    expect(maskSecret(OPENROUTER_KEY)).toBe("sk-or-…4567");
    expect(maskSecret("sk-0123456789abcdef0123456789abcdef")).toBe("sk-…cdef");
  });
  it("keeps only 4 characters of a key without separators", () => {
    expect(maskSecret("AKIAIOSFODNN7EXAMPLE")).toBe("AKIA…MPLE");
    expect(maskSecret("0123456789abcdef0123456789abcdef")).toBe("0123…cdef");
  });
  it("never reveals half of a short value", () => {
    expect(maskSecret("sk-abcdefghi")).toBe("…fghi");
    expect(maskSecret("abcdefgh")).toBe("…gh");
    expect(maskSecret("abc")).toBe("••••");
    expect(maskSecret("")).toBe("••••");
  });
});

describe("maskSecretsIn", () => {
  it("replaces a known secret with its hint", () => {
    const text = `Bad key ${OPENAI_KEY} sent twice: ${OPENAI_KEY}.`;
    const out = maskSecretsIn(text, [OPENAI_KEY]);
    expect(out).toBe("Bad key sk-proj-…MxYA sent twice: sk-proj-…MxYA.");
  });
  it("redacts a long fragment of a known secret, such as its tail", () => {
    const tail = OPENAI_KEY.slice(-10);
    const middle = OPENAI_KEY.slice(20, 32);
    const out = maskSecretsIn(`key ending ${tail}, middle ${middle}`, [OPENAI_KEY]);
    expect(out).not.toContain(tail);
    expect(out).not.toContain(middle);
    expect(out).toContain("key ending ••••");
  });
  it("leaves short fragments and the provider's own masked form alone", () => {
    const message =
      "Incorrect API key provided: sk-proj-****************MxYA. You can find your API key at https://platform.openai.com/account/api-keys.";
    expect(maskSecretsIn(message, [OPENAI_KEY])).toBe(message);
  });
  it("redacts key-shaped strings it was not told about", () => {
    const text = `a ${ANTHROPIC_KEY} b ${OPENROUTER_KEY} c AKIAIOSFODNN7EXAMPLE d ${OPENAI_KEY}`;
    const out = maskSecretsIn(text);
    for (const key of [ANTHROPIC_KEY, OPENROUTER_KEY, "AKIAIOSFODNN7EXAMPLE", OPENAI_KEY]) expect(out).not.toContain(key);
    expect(out).toContain("sk-ant-…EFGH");
    expect(out).toContain("AKIA…MPLE");
  });
  it("redacts bearer tokens and long random tokens", () => {
    const hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV";
    const out = maskSecretsIn(`Authorization: Bearer abc.def-123456 token ${hex} jwt ${jwt}`);
    expect(out).toContain("Bearer ••••");
    expect(out).not.toContain(hex);
    expect(out).not.toContain(jwt);
  });
  it("keeps URLs, model ids and ordinary words", () => {
    const text =
      "The model `claude-3-5-sonnet-20241022-extended-thinking-preview` does not exist; see https://platform.openai.com/docs/guides/error-codes/api-errors for more.";
    expect(maskSecretsIn(text)).toBe(text);
  });
  it("ignores empty and tiny secrets", () => {
    expect(maskSecretsIn("an ordinary sentence", ["", "a"])).toBe("an ordinary sentence");
  });
});
