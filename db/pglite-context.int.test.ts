/**
 * A query on the embedded PGlite must not keep the request that ran it alive. PostgreSQL arms
 * timers of its own from inside some statements (setitimer, which PGlite's runtime turns into
 * setTimeout): a ~10 s one, re-armed from its own callback (seen only with the database on disk).
 * Node's AsyncLocalStorage copies the current store onto every timer created under it, so the
 * request whose query armed it stayed reachable with its form (a password typed to sign up: seen
 * in a heap snapshot, e2e/key-retention.spec.ts).
 * PGlite arms such a timer as it starts, and opens on the first request that needs the database.
 * Runs on PGlite whatever DATABASE_URL says (its own database in a temporary directory).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import { initOutsideRequests } from "@/lib/outside-requests";
import { collected, served as servedIn } from "@/test/request-context";
import { openPglite, type PgliteHandle } from "./pglite";

// On disk, as the app keeps it (.data/pglite): PostgreSQL's statements arm the timer there.
const dir = mkdtempSync(path.join(os.tmpdir(), "byok-pglite-context-"));
let handle: PgliteHandle | undefined;
afterAll(async () => {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("opening PGlite, queries, writes and transactions keep none of the calling request's store", async () => {
  initOutsideRequests(); // as the server does at start-up (instrumentation.ts), before any request
  const requestStorage = new AsyncLocalStorage<{ form: string }>();
  const served = (work: () => Promise<unknown>) => servedIn(requestStorage, work);

  // The database is opened by whichever request first needs it (PGlite arms a 10 s timer as it starts).
  const afterOpen = await served(async () => {
    handle = await openPglite(dir);
  });
  const opened = handle!;
  await opened.query("create table notes (id serial primary key, body text)", []);

  // Several statements in a row, as a request makes them: the statistics are flushed at most once
  // a second, so the later ones leave the idle timer armed.
  const afterQueries = await served(async () => {
    for (let i = 0; i < 3; i++) await opened.query("select count(*) from notes", []);
  });
  const afterWrites = await served(async () => {
    for (let i = 0; i < 3; i++) await opened.query("insert into notes (body) values ($1)", [`note ${i}`]);
  });
  const afterTransaction = await served(() =>
    opened.db().transaction(async (tx) => {
      // Inside the transaction the request's context is still the caller's.
      expect(requestStorage.getStore()?.form).toBe("the request's form data");
      await tx.execute(sql`insert into notes (body) values ('in a transaction')`);
    }),
  );

  expect(await collected(afterOpen)).toBe(true);
  expect(await collected(afterQueries)).toBe(true);
  expect(await collected(afterWrites)).toBe(true);
  expect(await collected(afterTransaction)).toBe(true);
  // The database still answers.
  expect(await opened.query("select count(*)::int as n from notes", [])).toEqual([{ n: 4 }]);
}, 120_000); // opening and migrating a PGlite on disk: 5-7 s alone, 30 s and more beside a browser suite
