import { expect, it } from "vitest";
import { tokensRevokedNote, tokensRevokedSuffix } from "./org-token-note";

it("says how many org tokens will be revoked, singular or plural, and nothing for none", () => {
  expect(tokensRevokedNote(1)).toBe("Their 1 org token will be revoked.");
  expect(tokensRevokedNote(2)).toBe("Their 2 org tokens will be revoked.");
  expect(tokensRevokedNote(1, true)).toBe("Your 1 org token will be revoked.");
  expect(tokensRevokedNote(0)).toBe("");
  expect(tokensRevokedSuffix(3)).toBe(" · 3 org tokens revoked");
  expect(tokensRevokedSuffix(0)).toBe("");
  expect(tokensRevokedSuffix(undefined)).toBe("");
});
