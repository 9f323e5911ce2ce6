import { describe, expect, it } from "vitest";
import { csvCell, toCsv, usageCsv } from "./csv";
import { filterRows, rowCells, TABLE_COLUMNS, type UsageTableRow } from "./types";

const row = (over: Partial<UsageTableRow> = {}): UsageTableRow => ({
  member: "Ada",
  credential: "OpenAI",
  model: "gpt-4o",
  requests: 3,
  inputTokens: 30,
  outputTokens: 6,
  errors: 1,
  cost: null,
  ...over,
});

describe("csv", () => {
  it("guards cells a spreadsheet would run as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t"]) expect(csvCell(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(csvCell("\rSUM(A1)")).toBe(`"'\rSUM(A1)"`);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("quotes commas, quotes and line breaks; CRLF rows", () => {
    expect(csvCell('Org token “ci”, "nightly"')).toBe('"Org token “ci”, ""nightly"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(toCsv(["a", "b"], [["1", "2"]])).toBe("a,b\r\n1,2\r\n");
  });

  it("has exactly the table's columns and cells", () => {
    const rows = [row(), row({ member: "=cmd|' /C calc'!A0", model: "", cost: 0.0125 })];
    const lines = usageCsv(rows).trimEnd().split("\r\n");
    expect(lines[0]).toBe(TABLE_COLUMNS.join(","));
    expect(lines[1]).toBe("Ada,OpenAI,gpt-4o,3,30,6,1,");
    expect(lines[2]).toBe("'=cmd|' /C calc'!A0,OpenAI,(no model),3,30,6,1,0.0125");
    expect(rowCells(rows[1]!)).toHaveLength(TABLE_COLUMNS.length);
  });

  it("filters on member, credential and model, case-insensitively", () => {
    const rows = [row(), row({ member: "Bob", model: "claude" }), row({ member: "Org token “ci”", model: "" })];
    expect(filterRows(rows, "")).toHaveLength(3);
    expect(filterRows(rows, "CLAUDE").map((r) => r.member)).toEqual(["Bob"]);
    expect(filterRows(rows, "no model").map((r) => r.member)).toEqual(["Org token “ci”"]);
    expect(filterRows(rows, "openai")).toHaveLength(3);
  });
});
