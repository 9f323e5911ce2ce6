import { describe, expect, it } from "vitest";
import { monthLabel, monthOf, nextMonthStart, secondsToNextMonth } from "./month";

describe("budget months", () => {
  it("names the UTC month by its first day", () => {
    expect(monthOf(new Date("2026-12-05T18:00:00Z"))).toBe("2026-12-01");
    expect(monthOf(new Date("2026-01-31T23:59:59.999Z"))).toBe("2026-01-01");
    // 00:30 on March 1st in UTC+2 is still February in UTC.
    expect(monthOf(new Date("2026-03-01T00:30:00+02:00"))).toBe("2026-02-01");
  });

  it("turns the year in December", () => {
    expect(nextMonthStart(new Date("2026-12-31T23:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("counts whole seconds to the next month, at least one", () => {
    expect(secondsToNextMonth(new Date("2026-12-31T23:59:00Z"))).toBe(60);
    expect(secondsToNextMonth(new Date("2026-12-31T23:59:59.500Z"))).toBe(1);
    expect(secondsToNextMonth(new Date("2026-02-01T00:00:00Z"))).toBe(28 * 86400);
  });

  it("labels a month", () => {
    expect(monthLabel("2026-12-01")).toBe("December 2026");
  });
});
