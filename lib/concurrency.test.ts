import { describe, expect, it } from "vitest";
import { BUSY_MESSAGE, Semaphore } from "./concurrency";
import { AppError } from "./errors";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("Semaphore", () => {
  it("never runs more than max tasks at once, and runs them all", async () => {
    const sem = new Semaphore({ max: 2, maxWaitMs: 5_000, maxQueue: 100 });
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sem.run(async () => {
          peak = Math.max(peak, ++running);
          await sleep(5);
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(2);
    expect(sem.load).toEqual({ running: 0, waiting: 0 });
  });

  it("a waiter gives up after the bounded wait with 503 unavailable and a Retry-After", async () => {
    const sem = new Semaphore({ max: 1, maxWaitMs: 50, maxQueue: 10, retryAfterSeconds: 3 });
    const hold = deferred();
    const first = sem.run(() => hold.promise);
    const started = Date.now();
    const refused = await sem.run(async () => "ran").catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "unavailable", status: 503, message: BUSY_MESSAGE, retryAfter: 3 });
    // The timed-out waiter left the queue; the slot still works afterwards.
    expect(sem.load).toEqual({ running: 1, waiting: 0 });
    hold.resolve();
    await first;
    expect(await sem.run(async () => "ran")).toBe("ran");
  });

  it("a waiter that gets a slot in time runs", async () => {
    const sem = new Semaphore({ max: 1, maxWaitMs: 1_000, maxQueue: 10 });
    const hold = deferred();
    const first = sem.run(() => hold.promise);
    const second = sem.run(async () => "second");
    setTimeout(hold.resolve, 20);
    await first;
    expect(await second).toBe("second");
  });

  it("refuses at once beyond the queue bound, and a task's failure frees its slot", async () => {
    const sem = new Semaphore({ max: 1, maxWaitMs: 10_000, maxQueue: 1 });
    const hold = deferred();
    const first = sem.run(() => hold.promise);
    const queued = sem.run(async () => "queued");
    const started = Date.now();
    await expect(sem.run(async () => "third")).rejects.toMatchObject({ code: "unavailable" });
    expect(Date.now() - started).toBeLessThan(50);
    hold.resolve();
    await first;
    expect(await queued).toBe("queued");
    await expect(sem.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(sem.load).toEqual({ running: 0, waiting: 0 });
  });

  it("background work may wait without a bound", async () => {
    const sem = new Semaphore({ max: 1, maxWaitMs: 10, maxQueue: 10 });
    const hold = deferred();
    const first = sem.run(() => hold.promise);
    const patient = sem.run(async () => "patient", Infinity);
    await sleep(40);
    hold.resolve();
    await first;
    expect(await patient).toBe("patient");
  });
});
