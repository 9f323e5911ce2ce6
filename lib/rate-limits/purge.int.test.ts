import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { purgeExpiredRateLimits } from "./purge";
import { consumePoint, dbLimiter } from "./store";

describe("purging expired rate-limit rows", () => {
  it("deletes expired rows, in batches, and keeps live ones", async () => {
    const db = await getDb();
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 60_000);
    // More expired rows than one batch holds.
    await db.execute(sql`insert into rate_limits (key, points, expire)
      select 'test:old:' || i, 3, ${past.toISOString()}::timestamptz from generate_series(1, 5100) as i`);
    await db.insert(rateLimits).values([
      { key: "test:live", points: 2, expire: future },
      { key: "test:forever", points: 1, expire: null },
    ]);
    const limiter = dbLimiter(db, { keyPrefix: "test:real", points: 3, durationSeconds: 60 });
    await consumePoint(limiter, "someone");

    expect(await purgeExpiredRateLimits(db)).toBe(5100);
    const left = await db.select({ key: rateLimits.key, points: rateLimits.points }).from(rateLimits).orderBy(rateLimits.key);
    expect(left).toEqual([
      { key: "test:forever", points: 1 },
      { key: "test:live", points: 2 },
      { key: "test:real:someone", points: 1 },
    ]);
    expect(await purgeExpiredRateLimits(db)).toBe(0);
    // After the window, the live rows go too and the limiter starts afresh.
    expect(await purgeExpiredRateLimits(db, new Date(Date.now() + 120_000))).toBe(2);
    expect(await consumePoint(limiter, "someone")).toBe(0);
  });
});
