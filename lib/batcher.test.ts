import { AsyncLocalStorage } from "node:async_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";
import { initOutsideRequests } from "./outside-requests";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("createBatcher", () => {
  it("writes what was added in one call per flush, merging equal keys", async () => {
    const writes: { id: string; n: number }[][] = [];
    const batcher = createBatcher<{ id: string; n: number }>({
      name: "test",
      everyMs: 60_000,
      maxItems: 10,
      write: async (items) => void writes.push(items),
      key: (item) => item.id,
      merge: (a, b) => ({ id: a.id, n: a.n + b.n }),
    });
    batcher.add({ id: "a", n: 1 });
    batcher.add({ id: "b", n: 1 });
    batcher.add({ id: "a", n: 2 });
    expect(batcher.size).toBe(2);
    await batcher.flush();
    await batcher.flush();
    expect(writes).toEqual([
      [
        { id: "a", n: 3 },
        { id: "b", n: 1 },
      ],
    ]);
  });

  it("updates a queued item in place, and only a queued one (not one already handed to a write)", async () => {
    const writes: { id: string; n: number }[][] = [];
    const batcher = createBatcher<{ id: string; n: number }>({
      name: "test",
      everyMs: 60_000,
      maxItems: 10,
      write: async (items) => void writes.push(structuredClone(items)),
      key: (item) => item.id,
    });
    const bump = (item: { n: number }) => void (item.n += 1);
    expect(batcher.update("a", bump)).toBe(false);
    batcher.add({ id: "a", n: 1 });
    expect(batcher.update("a", bump)).toBe(true);
    expect(batcher.update("a", bump)).toBe(true);
    await batcher.flush();
    expect(batcher.update("a", bump)).toBe(false);
    expect(writes).toEqual([[{ id: "a", n: 3 }]]);
  });

  it("counts the batches it has taken: an item is still queued while the count has not moved", async () => {
    const batcher = createBatcher<number>({ name: "test", everyMs: 60_000, maxItems: 10, write: async () => {} });
    expect(batcher.taken).toBe(0);
    await batcher.flush(); // nothing queued: nothing taken
    expect(batcher.taken).toBe(0);
    batcher.add(1);
    await batcher.flush();
    expect(batcher.taken).toBe(1);
    batcher.add(2);
    expect(batcher.taken).toBe(1);
    await batcher.flush();
    expect(batcher.taken).toBe(2);
  });

  it("flushes on its own after everyMs", async () => {
    const writes: number[][] = [];
    const batcher = createBatcher<number>({ name: "test", everyMs: 20, maxItems: 10, write: async (items) => void writes.push(items) });
    batcher.add(1);
    batcher.add(2);
    await expect.poll(() => writes).toEqual([[1, 2]]);
  });

  it("is bounded: past maxItems new items are dropped; a failed write is dropped, not retried", async () => {
    let calls = 0;
    const batcher = createBatcher<number>({
      name: "test",
      everyMs: 60_000,
      maxItems: 2,
      write: async () => {
        calls++;
        throw new Error("db down");
      },
    });
    expect([batcher.add(1), batcher.add(2), batcher.add(3)]).toEqual([true, true, false]);
    await batcher.flush();
    expect(batcher.size).toBe(0);
    await batcher.flush();
    expect(calls).toBe(1);
  });

  it("keeps nothing of the request that queued a batch's first item, and writes outside it", async () => {
    initOutsideRequests(); // as startServer does, before any request
    const requestStorage = new AsyncLocalStorage<{ body: string }>();
    let writtenIn: unknown = "not written";
    const batcher = createBatcher<{ id: string }>({
      name: "test",
      everyMs: 300,
      maxItems: 10,
      write: async () => void (writtenIn = requestStorage.getStore()),
    });
    const ref = requestStorage.run({ body: "a gateway request's body" }, () => {
      batcher.add({ id: "a" }); // the first item: the batch's timer is set here
      return new WeakRef(requestStorage.getStore()!);
    });
    for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(ref.deref()).toBeUndefined(); // while the timer is still pending
    await expect.poll(() => writtenIn, { timeout: 2000 }).not.toBe("not written");
    expect(writtenIn).toBeUndefined();
  });
});
