import { describe, expect, it } from "vitest";
import { eachDay, parseRange } from "./range";

const now = new Date("2026-12-05T23:30:00Z");

describe("parseRange", () => {
  it("presets end today (UTC) and include it", () => {
    expect(parseRange({}, now)).toEqual({ preset: "30", from: "2026-11-06", to: "2026-12-05", days: 30 });
    expect(parseRange({ range: "7" }, now)).toMatchObject({ from: "2026-11-29", to: "2026-12-05", days: 7 });
    expect(parseRange({ range: "90" }, now)).toMatchObject({ from: "2026-09-07", days: 90 });
    expect(parseRange({ range: ["7", "90"] }, now)).toMatchObject({ days: 7 });
  });

  it("takes a custom range of whole days, at most 366", () => {
    expect(parseRange({ range: "custom", from: "2026-02-01", to: "2026-03-01" }, now)).toEqual({
      preset: "custom",
      from: "2026-02-01",
      to: "2026-03-01",
      days: 29,
    });
    expect(parseRange({ range: "custom", from: "2025-01-01", to: "2026-01-01" }, now).days).toBe(366);
    expect(parseRange({ range: "custom", from: "2026-12-05", to: "2026-12-05" }, now).days).toBe(1);
  });

  it("falls back to 30 days, saying why, on anything else", () => {
    const cases = [
      { range: "custom", from: "2025-01-01", to: "2026-01-02" },
      { range: "custom", from: "2026-03-02", to: "2026-03-01" },
      { range: "custom", from: "2026-02-30", to: "2026-03-01" },
      { range: "custom", from: "yesterday", to: "2026-03-01" },
      { range: "custom" },
      { range: "365" },
    ];
    for (const params of cases) {
      const range = parseRange(params, now);
      expect(range).toMatchObject({ preset: "30", days: 30, to: "2026-12-05" });
      expect(range.error).toMatch(/30 days/);
    }
    expect(parseRange({ range: "custom", from: "2025-01-01", to: "2026-01-02" }, now).error).toMatch(/at most 366/);
  });

  it("lists every day across month and year ends", () => {
    expect(eachDay("2024-02-28", "2024-03-01")).toEqual(["2024-02-28", "2024-02-29", "2024-03-01"]);
    expect(eachDay("2026-12-31", "2027-01-01")).toEqual(["2026-12-31", "2027-01-01"]);
  });
});
