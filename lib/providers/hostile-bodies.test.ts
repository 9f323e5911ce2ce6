/**
 * Issue 8: provider bodies must never stall the server. Every reader of provider text answers a
 * 1 MiB hostile body (see hostile-bodies-kit.ts), cut at the size cap or not, under each status,
 * in under 50 ms, and its answer is still sensible. Each case is the best of up to 3 runs, after
 * one warm-up per reader (see bestOf3 for how a run is timed on a shared, loaded machine).
 */
import { describe, expect, it } from "vitest";
import { bestOf3, BUDGET_MS, HOSTILE_BODIES, READERS } from "./hostile-bodies-kit";

const STATUSES = [200, 400, 401, 403, 404, 429, 500];
const NORMAL_BODIES = [
  '{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}',
  "<html><title>Bad Gateway</title></html>",
  '{"data":[{"id":"a"}]}',
];

describe("hostile 1 MiB provider bodies", () => {
  it("are 1 MiB (or just under: whole repeats inside JSON)", () => {
    for (const [name, body] of HOSTILE_BODIES) expect(body.length, name).toBeGreaterThan(1000 * 1000);
    for (const [name, body] of HOSTILE_BODIES) expect(body.length, name).toBeLessThanOrEqual(1024 * 1024);
  });

  for (const reader of READERS) {
    it(`${reader.name}: every body, cut or not${reader.byStatus ? ", every status" : ""}, in < ${BUDGET_MS} ms`, () => {
      for (const body of NORMAL_BODIES) for (const status of STATUSES) reader.run(status, body, false);
      const slow: string[] = [];
      for (const [name, body] of HOSTILE_BODIES) {
        for (const truncated of [false, true]) {
          for (const status of reader.byStatus ? STATUSES : [200]) {
            const { ms, value } = bestOf3(() => reader.run(status, body, truncated));
            if (ms >= BUDGET_MS) slow.push(`${name} (${truncated ? "cut" : "whole"}, ${status}): ${ms.toFixed(1)} ms`);
            reader.check(value);
          }
        }
      }
      expect(slow).toEqual([]);
    }, 120_000);
  }
});
