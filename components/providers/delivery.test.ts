import { expect, it } from "vitest";
import { formatCount, usageLine } from "./delivery";

it("shortens counts the way the card shows them", () => {
  expect([0, 950, 1000, 12_345, 99_960, 123_456, 999_499, 999_500, 2_000_000, 3_456_000_000].map(formatCount)).toEqual([
    "0",
    "950",
    "1k",
    "12.3k",
    "100k",
    "123k",
    "999k",
    "1M",
    "2M",
    "3.5B",
  ]);
});

it("writes the usage line with singulars and plurals", () => {
  expect(usageLine({ requests: 3, tokens: 12_345 })).toBe("Gateway: 3 requests · 12.3k tokens (24 h)");
  expect(usageLine({ requests: 1, tokens: 1 })).toBe("Gateway: 1 request · 1 token (24 h)");
  expect(usageLine({ requests: 0, tokens: 0 })).toBe("Gateway: 0 requests · 0 tokens (24 h)");
});
