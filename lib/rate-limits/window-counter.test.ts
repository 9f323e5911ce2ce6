import { describe, expect, it } from "vitest";
import { WindowCounter } from "./window-counter";

describe("WindowCounter", () => {
  it("allows `points` hits per key per window, then answers the time until the window resets", () => {
    const counter = new WindowCounter({ points: 3, windowMs: 60_000 });
    const t0 = 1_000_000;
    expect([counter.take("a", t0), counter.take("a", t0 + 1), counter.take("a", t0 + 2)]).toEqual([0, 0, 0]);
    expect(counter.take("a", t0 + 10_000)).toBe(50_000);
    // Another key has its own window.
    expect(counter.take("b", t0 + 10_000)).toBe(0);
    // Refused hits count too: the window does not reopen early.
    expect(counter.take("a", t0 + 59_999)).toBe(1);
    // The window starts over once it has ended.
    expect(counter.take("a", t0 + 60_000)).toBe(0);
  });

  it("answers in whole seconds for Retry-After", () => {
    const counter = new WindowCounter({ points: 1, windowMs: 60_000 });
    expect(counter.takeSeconds("a")).toBe(0);
    const wait = counter.takeSeconds("a");
    expect(wait).toBeGreaterThan(58);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it("counts whole seconds at the clock reading it is given (the request's own)", () => {
    const counter = new WindowCounter({ points: 1, windowMs: 60_000 });
    expect(counter.takeSeconds("a", 1_000)).toBe(0);
    expect(counter.takeSeconds("a", 1_500)).toBe(60); // 59.5 s left, rounded up
    expect(counter.takeSeconds("a", 60_999)).toBe(1);
    expect(counter.takeSeconds("a", 61_000)).toBe(0); // a new window at that reading
  });

  it("forgets ended windows, and stays bounded when every window is open", () => {
    const counter = new WindowCounter({ points: 1, windowMs: 1_000, maxKeys: 100 });
    for (let i = 0; i < 100; i++) counter.take(`k${i}`, 0);
    expect(counter.size).toBe(100);
    // Full with open windows: starts over rather than growing.
    counter.take("one more", 10);
    expect(counter.size).toBeLessThanOrEqual(100);
    // Ended windows are swept on the next new window after a window's time.
    for (let i = 0; i < 10; i++) counter.take(`late${i}`, 5_000);
    expect(counter.size).toBe(10);
  });
});
