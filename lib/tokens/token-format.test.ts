import { describe, expect, it } from "vitest";
import { generateToken, hashToken, parseBearer } from "./token-format";

describe("parseBearer", () => {
  const { token } = generateToken();

  it("reads the token from the usual header and from any spacing or case of the scheme", () => {
    expect(parseBearer(`Bearer ${token}`)).toBe(token);
    expect(parseBearer(`bearer ${token}`)).toBe(token);
    expect(parseBearer(`BEARER \t ${token}  `)).toBe(token);
    expect(parseBearer(`Bearer  ${token}`)).toBe(token);
  });

  it("refuses anything that is not exactly one well-formed token", () => {
    for (const header of [
      null,
      "",
      token,
      `Basic ${token}`,
      `Bearer ${token} `.repeat(2),
      `Bearer ${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token} extra`,
      `Bearer  ${token} extra`,
      `Bearer ${token.replace("byok_", "sk_")}`,
      `Bearer ${token.slice(0, -1)}!`,
      `Bearer ${" ".repeat(200)}${token}`,
    ]) {
      expect(parseBearer(header), String(header)).toBeNull();
    }
  });
});

describe("hashToken", () => {
  it("is the hex SHA-256 the database stores, the same for the same token", () => {
    const { token, hash } = generateToken();
    expect(hashToken(token)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Another token, one character apart (its last one, which may already be "A" one time in 64).
    const other = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(hashToken(other)).not.toBe(hash);
  });
});
