/**
 * A PostgreSQL connection opened while a request is being served must not keep that request's
 * async context alive. Node's AsyncLocalStorage copies the current store onto every resource
 * created under it (sockets, timers); Next's request store holds the server action's decoded form,
 * so a pooled connection opened during "Save" kept the provider key it was saving reachable for as
 * long as the connection lived (seen in a heap snapshot of a running server).
 * Runs in the PostgreSQL pass of `npm test` (DATABASE_URL set); PGlite opens no socket.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, describe, expect, it } from "vitest";
import { collected, served as servedIn } from "@/test/request-context";
import { openPostgres, type PostgresHandle } from "./postgres";

describe.skipIf(!process.env.DATABASE_URL)("PostgreSQL connections and request contexts", () => {
  const handles: PostgresHandle[] = [];
  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.close().catch(() => {})));
  });

  it("a connection opened during a request (query, then a transaction) keeps none of the request's store", async () => {
    // A fresh pool: its connections are opened by the first queries, inside the "request".
    const handle = await openPostgres(process.env.DATABASE_URL!, { max: 2, target: () => "test" });
    handles.push(handle);
    const requestStorage = new AsyncLocalStorage<{ form: string }>();

    const served = (work: () => Promise<unknown>) => servedIn(requestStorage, work);

    const afterQuery = await served(() => handle.query("select 1 as n", []));
    const afterTransaction = await served(() =>
      handle.db().transaction(async (tx) => {
        // Inside the transaction the request's context is still the caller's.
        expect(requestStorage.getStore()?.form).toBe("the request's form data");
        await tx.execute("select pg_sleep(0)");
      }),
    );

    expect(await collected(afterQuery)).toBe(true);
    expect(await collected(afterTransaction)).toBe(true);
    // The connections are still there, and work.
    expect(await handle.query("select 2 as n", [])).toEqual([{ n: 2 }]);
  });
});
