/**
 * For tests that a database handle keeps no request's async context alive (db/*-context.int.test.ts):
 * a stand-in request store, and a check that it can be collected once the request is over.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect } from "vitest";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** True once the object behind `ref` has been collected (a few turns of the event loop, each with a full GC). */
export async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return ref.deref() === undefined;
}

export type RequestStorage = AsyncLocalStorage<{ form: string }>;

/**
 * Runs `work` as a request would: inside a store holding its form. Checks the request's context
 * survives the work, and returns a weak reference to the store, for `collected`.
 */
export async function served(storage: RequestStorage, work: () => Promise<unknown>): Promise<WeakRef<object>> {
  const store = { form: "the request's form data" };
  const ref = new WeakRef(store);
  let seen: string | undefined;
  await storage.run(store, async () => {
    await work();
    seen = storage.getStore()?.form; // the caller's context survives the work
  });
  expect(seen).toBe("the request's form data");
  return ref;
}
