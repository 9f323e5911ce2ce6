import { describe, expect, it } from "vitest";
import { parametersSchema } from "./form";
import { formatParameters, parameterShapeProblem } from "./parameters";

const parse = (text: string) => parametersSchema.safeParse(text);
const messageOf = (text: string) => {
  const result = parse(text);
  return result.success ? null : result.error.issues[0]?.message;
};

describe("Model Parameters: depth and keys as well as size", () => {
  it("accepts ordinary parameters, up to 5 levels and 100 keys", () => {
    expect(
      parse('{"temperature":0.2,"stop":["\\n\\n"],"response_format":{"type":"json_schema","json_schema":{"schema":{"type":"object"}}}}')
        .success,
    ).toBe(true);
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    expect(parse(JSON.stringify(hundred)).success).toBe(true);
    expect(parse('{"a":{"b":{"c":{"d":[1]}}}}').success).toBe(true);
  });

  it("refuses 8 KB of nested arrays, which would render as millions of characters", () => {
    const hostile = `{"a":${"[".repeat(4000)}${"]".repeat(4000)}}`;
    expect(hostile.length).toBeLessThan(8 * 1024);
    expect(messageOf(hostile)).toBe("Model Parameters may nest at most 5 levels deep.");
    expect(messageOf('{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}')).toBe("Model Parameters may nest at most 5 levels deep.");
    expect(messageOf('{"a":[[[[[]]]]]}')).toBe("Model Parameters may nest at most 5 levels deep.");
  });

  it("refuses more than 100 keys, counted across nested objects", () => {
    const wide = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));
    expect(messageOf(JSON.stringify(wide))).toBe("Model Parameters may have at most 100 keys.");
    const spread = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`g${i}`, Object.fromEntries(Array.from({ length: 9 }, (_, j) => [`k${j}`, j]))]),
    );
    expect(messageOf(JSON.stringify(spread))).toBe("Model Parameters may have at most 100 keys.");
  });

  it("checks deep values without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(parameterShapeProblem({ deep })).toMatch(/5 levels/);
  });

  it("shows a stored value that predates the limits compactly, so the page stays small", () => {
    let nested: unknown = [];
    for (let i = 0; i < 4000; i++) nested = [nested];
    const text = formatParameters({ a: nested });
    expect(text.length).toBeLessThan(8100);
    expect(formatParameters({ temperature: 0.2 })).toBe('{\n  "temperature": 0.2\n}');
    expect(formatParameters(null)).toBe("");
  });
});
