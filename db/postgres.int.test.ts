/**
 * The PostgreSQL handle under faults, against a private cluster (initdb on a free port, never the
 * shared server): a stopped database is answered at once and noticed again within a second of its
 * return; a hung one (every server process SIGSTOPped: no error, no answer) within a few seconds.
 * Runs in the PostgreSQL pass of `npm test` (DATABASE_URL set) where the server binaries exist.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPostgresBinaries, startPrivateCluster, type PgCluster } from "@/e2e/reliability/pg-cluster";
import { isAppError } from "@/lib/errors";
import { openPostgres, type PostgresHandle } from "./postgres";

const SELECT = "select $1::int as n";

/** The cluster's postmaster and its children (backends, background workers). */
function clusterPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return [postmaster, ...children];
}

async function outcome(handle: PostgresHandle): Promise<{ ms: number; result: "ok" | "unavailable" | string }> {
  const started = Date.now();
  if (handle.breaker.open) return { ms: 0, result: "unavailable" }; // what db/client.ts does first
  try {
    await handle.query(SELECT, [1]);
    return { ms: Date.now() - started, result: "ok" };
  } catch (error) {
    return { ms: Date.now() - started, result: isAppError(error) ? error.code : String(error) };
  }
}

async function untilOk(handle: PostgresHandle, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if ((await outcome(handle)).result === "ok") return Date.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Infinity;
}

describe.skipIf(!hasPostgresBinaries || !process.env.DATABASE_URL)("PostgreSQL handle under faults", () => {
  let cluster: PgCluster;
  let handle: PostgresHandle;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    handle = await openPostgres(cluster.url, { max: 4, target: () => "private cluster" });
  });
  afterAll(async () => {
    await handle?.close().catch(() => {});
    await cluster?.destroy();
  });

  it("a stopped database: unavailable at once while down, answering within a second of its return", async () => {
    expect((await outcome(handle)).result).toBe("ok");
    await cluster.stop();
    const during: { ms: number; result: string }[] = [];
    for (let i = 0; i < 20; i++) during.push(await outcome(handle));
    expect(new Set(during.map((o) => o.result))).toEqual(new Set(["unavailable"]));
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(1000);
    expect(handle.breaker.open).toBe(true);

    await cluster.start();
    expect(await untilOk(handle, 5000)).toBeLessThan(1500);
  });

  it("a hung database: pending queries answered unavailable within a few seconds, then answering again", async () => {
    expect(await untilOk(handle, 5000)).toBeLessThan(5000);
    // Every pooled connection open, so the queries below wait on live sockets: no connect to time out.
    await Promise.all(Array.from({ length: 4 }, () => handle.query("select pg_sleep(0.2)", [])));
    const pids = clusterPids(cluster.dataDir);
    for (const pid of pids) process.kill(pid, "SIGSTOP");
    try {
      const started = Date.now();
      const pending = await Promise.all(Array.from({ length: 8 }, () => outcome(handle)));
      expect(pending.map((o) => o.result)).toEqual(Array(8).fill("unavailable"));
      expect(Date.now() - started).toBeLessThan(6000);
      expect((await outcome(handle)).ms).toBe(0); // and at once while it stays hung
    } finally {
      for (const pid of pids) process.kill(pid, "SIGCONT");
    }
    expect(await untilOk(handle, 8000)).toBeLessThan(5000);
  });
});
