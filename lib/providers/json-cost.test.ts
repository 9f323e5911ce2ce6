import { describe, expect, it } from "vitest";
import { bestOf3, BUDGET_MS } from "./hostile-bodies-kit";
import { MAX_JSON_DEPTH, MAX_JSON_KEYS, tooCostlyToParse } from "./json-cost";
import { parseJsonBody } from "./openai-family/style";

const MiB = 1024 * 1024;
const nested = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
const withKeys = (count: number) => `{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(",")}}`;

describe("tooCostlyToParse", () => {
  it("refuses nesting deeper than MAX_JSON_DEPTH, arrays or objects", () => {
    expect(tooCostlyToParse(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(tooCostlyToParse(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(tooCostlyToParse(`${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${"}".repeat(MAX_JSON_DEPTH + 1)}`)).toBe(true);
  });
  it("refuses more than MAX_JSON_KEYS distinct keys; repeated keys count once", () => {
    expect(tooCostlyToParse(withKeys(MAX_JSON_KEYS))).toBe(false);
    expect(tooCostlyToParse(withKeys(MAX_JSON_KEYS + 1))).toBe(true);
    expect(tooCostlyToParse(`[${Array(50_000).fill('{"id":"a","object":"model"}').join(",")}]`)).toBe(false);
  });
  it("does not count brackets or quotes inside strings", () => {
    expect(tooCostlyToParse(`{"a":"${"[".repeat(1000)}"}`)).toBe(false);
    expect(tooCostlyToParse(`{"a":"\\"${"[".repeat(1000)}\\\\","b":${nested(10)}}`)).toBe(false);
    expect(tooCostlyToParse(`{"a":"\\\\"${",[".repeat(100)}`)).toBe(true);
  });
  it("stops where JSON.parse would: after the top-level value, or at a string nothing valid follows", () => {
    expect(tooCostlyToParse(`[1] ${"[".repeat(1000)}`)).toBe(false);
    expect(tooCostlyToParse(`["a" "b" ${"[".repeat(1000)}`)).toBe(false);
    expect(tooCostlyToParse('"a string"')).toBe(false);
  });
});

describe("parseJsonBody on bodies JSON.parse is slow on", () => {
  it("parses normal bodies as before, and remembers the last one", () => {
    const text = '{"error":{"message":"m","code":"invalid_api_key"}}';
    expect(parseJsonBody(text)).toEqual({ error: { message: "m", code: "invalid_api_key" } });
    expect(parseJsonBody(text)).toBe(parseJsonBody(text));
    expect(parseJsonBody(nested(MAX_JSON_DEPTH))).toBeDefined();
  });
  it("answers undefined, fast, for 1 MiB of `[`, of `[…]` and of distinct keys (JSON.parse: ≈ 0.3–0.5 s each)", () => {
    let i = 0;
    const keys = (() => {
      let text = "{";
      while (text.length < MiB - 20) text += `"k${i++}":1,`;
      return `${text}"end":1}`;
    })();
    for (const text of ["[".repeat(MiB), `${"[".repeat(MiB / 2)}${"]".repeat(MiB / 2)}`, keys]) {
      const { ms, value } = bestOf3(() => parseJsonBody(text));
      expect(value).toBeUndefined();
      expect(ms).toBeLessThan(BUDGET_MS);
    }
  });
  it("never throws, whatever the body", () => {
    for (const text of ["[".repeat(MiB), "{".repeat(MiB), '"'.repeat(MiB), `[${'"\\'.repeat(1000)}`, "]]]]", "{}}"]) {
      expect(() => parseJsonBody(text)).not.toThrow();
    }
  });
});
