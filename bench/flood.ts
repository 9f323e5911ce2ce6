/**
 * `npm run bench -- --flood`: what made-up tokens cost the database. N well-formed tokens no row
 * matches (`byok_` + 43 base64url characters, as issued), each sent once per round to
 * GET /api/v1/config at --connections, two rounds back to back. Unknown tokens are cached
 * negatively (RESOLUTION_CACHE_UNKNOWN_TTL_SECONDS, default 60): round 1 should cost one query per
 * token, round 2 none. On PostgreSQL the server's transactions are counted from outside
 * (pg_stat_database), net of its reconnections and of an idle window as long; PGlite is the
 * server's alone, so there only answers and timings.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import type { Sql } from "postgres";
import { generateMasterKeySpec, parseMasterKeys } from "@/lib/crypto/master-keys";
import { CONFIG_FETCHES_EVERY_MS } from "@/lib/audit/config-fetches";
import { generateToken } from "@/lib/tokens/token-format";
import type { BenchOptions } from "./args";
import { cleanupMark, cleanupTo, onCleanup } from "./cleanup";
import { waitForFeeds } from "./coherence";
import { preparePglite, preparePostgres, settle } from "./database";
import { warmUp, withCpu } from "./load";
import { pad, writeResults, type Machine, type Target } from "./report";
import { seedUsers } from "./seed";
import { startBenchServer } from "./server";

/** After a round, before counting: batched writes and in-flight follow-ups land. */
const SETTLE_MS = 1_500;
const UNKNOWN_TTL_S = 60; // lib/env.ts default; the bench does not change it
const UNKNOWN_SIZE = 100_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type Queries = {
  /** From the count before the round to the count after it (the round, then SETTLE_MS). */
  windowMs: number;
  transactions: number;
  /** Server connections opened in the window: each counts one transaction (its start-up). */
  reconnections: number;
  /** The same count over an idle window as long (feed pings, background jobs), net of its reconnections. */
  baseline: number;
  /** transactions − reconnections − baseline. */
  net: number;
  perToken: number;
};

export type FloodRound = {
  round: number;
  tokens: number;
  requests: number;
  statusCodes: Record<string, number>;
  errors: number;
  /** Requests beyond one per token (autocannon re-sent some): 0 expected. */
  resent: number;
  wallMs: number;
  reqPerSec: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Server CPU per answer, and cores kept busy by everything but the server, this process and postgres (noise). */
  cpu: { serverMsPerRequest: number; outsideCores: number } | null;
  queries: Queries | null;
};

/**
 * The bench database's transaction count (committed + rolled back) with every server backend's
 * share in it. A backend publishes its counts when it goes idle at most once a second, and an idle
 * backend keeps what it has not published until its next statement or its exit (PostgreSQL 15
 * here: not within 20 s). So this ends the server's idle pool connections first — its pool opens
 * new ones on demand — and `pg_terminate_backend(pid, timeout)` returns once each has exited.
 * Never the feed (application_name byok-invalidation): the cache would be bypassed without it.
 */
async function flushedCount(observer: Sql, dbName: string): Promise<{ total: number; ended: number }> {
  const ended = await observer<{ pid: number }[]>`
    select pid, pg_terminate_backend(pid, 5000) from pg_stat_activity
    where datname = ${dbName} and backend_type = 'client backend' and state = 'idle'
      and application_name <> 'byok-invalidation' and pid <> pg_backend_pid()`;
  const [row] = await observer<{ n: string }[]>`
    select xact_commit + xact_rollback as n from pg_stat_database where datname = ${dbName}`;
  return { total: Number(row?.n ?? 0), ended: ended.length };
}

async function counted(observer: Sql, dbName: string, work: () => Promise<void>) {
  const before = await flushedCount(observer, dbName);
  await sleep(500); // the server's pool notices its closed connections before the next request
  const started = performance.now();
  await work();
  await sleep(SETTLE_MS);
  const after = await flushedCount(observer, dbName);
  await sleep(500);
  return { windowMs: performance.now() - started, transactions: after.total - before.total, reconnections: after.ended };
}

/** Each token once, at `connections`. */
async function flood(url: string, pid: number, tokens: string[], connections: number, round: number): Promise<FloodRound> {
  let next = 0;
  let resent = 0;
  const started = performance.now();
  const { value: result, cpu } = await withCpu(pid, async () =>
    autocannon({
      url,
      connections: Math.min(connections, tokens.length),
      amount: tokens.length,
      timeout: 10,
      requests: [
        {
          method: "GET",
          path: "/api/v1/config",
          setupRequest: (request) => {
            if (next >= tokens.length) resent++;
            request.headers.authorization = `Bearer ${tokens[next++ % tokens.length]}`;
            return request;
          },
        },
      ],
    }),
  );
  const wallMs = performance.now() - started;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  const requests = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  return {
    round,
    tokens: tokens.length,
    requests,
    statusCodes,
    errors: result.errors,
    resent,
    wallMs: Math.round(wallMs),
    reqPerSec: Math.round((requests / (wallMs / 1000)) * 10) / 10,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    cpu: cpu && {
      serverMsPerRequest: Math.round((cpu.serverMs / Math.max(1, requests)) * 100) / 100,
      outsideCores: Math.round(cpu.outsideCores * 100) / 100,
    },
    queries: null,
  };
}

export type FloodResult = {
  startedAt: string;
  db: string;
  users: number;
  connections: number;
  rounds: FloodRound[];
  targets: Target[];
  notes: string[];
};

function print(r: FloodResult): void {
  const n = (v: number) => v.toLocaleString("en-US");
  console.log(
    `\nFlood results: ${n(r.rounds[0]!.tokens)} unknown tokens per round at ${r.connections} connections, ${r.db} (${n(r.users)} users seeded)`,
  );
  console.log(
    `  ${"".padEnd(10)}${pad("requests", 10)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("max ms", 8)}${pad("401", 8)}${pad("429", 8)}${pad("other", 7)}${pad("queries", 9)}${pad("per token", 11)}${pad("CPU/req", 10)}${pad("outside", 9)}`,
  );
  for (const s of r.rounds) {
    const other = s.requests - (s.statusCodes["401"] ?? 0) - (s.statusCodes["429"] ?? 0) + s.errors;
    const q = s.queries;
    console.log(
      `  ${`round ${s.round}`.padEnd(10)}${pad(n(s.requests), 10)}${pad(s.reqPerSec.toFixed(1), 9)}${pad(s.latencyMs.p50, 8)}${pad(s.latencyMs.p99, 8)}${pad(s.latencyMs.max, 8)}${pad(n(s.statusCodes["401"] ?? 0), 8)}${pad(n(s.statusCodes["429"] ?? 0), 8)}${pad(other, 7)}${pad(q ? n(q.net) : "n/a", 9)}${pad(q ? q.perToken.toFixed(3) : "n/a", 11)}${pad(s.cpu ? `${s.cpu.serverMsPerRequest.toFixed(2)} ms` : "n/a", 10)}${pad(s.cpu ? s.cpu.outsideCores.toFixed(2) : "n/a", 9)}`,
    );
  }
  for (const s of r.rounds) {
    const q = s.queries;
    if (q)
      console.log(
        `  round ${s.round} queries: ${n(q.transactions)} transactions in ${(q.windowMs / 1000).toFixed(1)} s (the round and ${SETTLE_MS / 1000} s after), − ${q.reconnections} server reconnections, − ${q.baseline} idle baseline = ${n(q.net)}`,
      );
  }
  if (r.targets.length) {
    console.log("Targets (goals, not tests):");
    for (const t of r.targets) console.log(`  [${t.met ? "met" : "NOT met"}] ${t.goal}: ${t.value}`);
  }
}

/** One flood run; returns the process exit code. */
export async function runFlood(root: string, options: BenchOptions, machine: Machine, stamp: string): Promise<number> {
  const mark = cleanupMark();
  try {
    const workDir = mkdtempSync(path.join(os.tmpdir(), "byok-bench-"));
    onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
    const adminUrl = process.env.DATABASE_URL?.trim();
    const database = adminUrl ? await preparePostgres(adminUrl, options.keepDb) : await preparePglite(workDir);
    console.log(
      `\n== flood · ${options.floodTokens.toLocaleString("en-US")} unknown tokens × 2 · ${database.version} · ${database.description}`,
    );
    const keySpec = generateMasterKeySpec("v1");
    const connection = await database.open();
    let seed: Awaited<ReturnType<typeof seedUsers>>;
    try {
      const concurrency = database.kind === "postgres" ? 2 : 1;
      seed = await seedUsers(connection.db, { users: options.users, batch: options.batch, keyring: parseMasterKeys(keySpec), concurrency });
      await settle(connection.db);
    } finally {
      await connection.close();
    }
    const server = await startBenchServer({
      root,
      workDir,
      keepAs: path.join("bench", "results", `${stamp}-${database.kind}-flood-server.log`),
      databaseEnv: database.serverEnv,
      keySpec,
    });
    console.log(`Server: next start on ${server.url} (pid ${server.pid})`);
    try {
      // A served config: the server works (so 401s mean unknown) and its feed starts (on first use).
      const check = await fetch(`${server.url}/api/v1/config`, { headers: { authorization: `Bearer ${seed.samples[0]!.token}` } });
      if (check.status !== 200) throw new Error(`GET /api/v1/config answered ${check.status}: ${(await check.text()).slice(0, 300)}`);
      let observer: Sql | null = null;
      const dbName = new URL(database.serverEnv.DATABASE_URL || "postgres://x/x").pathname.slice(1);
      if (adminUrl) {
        // On another database than the bench's, so its own statements are not counted.
        const { default: postgres } = await import("postgres");
        observer = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
        onCleanup("close the observer connection", () => observer!.end({ timeout: 5 }));
        await waitForFeeds(observer, dbName, 1);
      }
      if (options.warmup > 0) {
        // Valid tokens (JIT, pools): round 1 then measures the unknown path, not a cold server.
        console.log(`  warm-up: ${options.warmup} s of valid tokens at ${options.connections} connections…`);
        const authorization = () => `Bearer ${seed.tokens[Math.floor(Math.random() * seed.tokens.length)]}`;
        await warmUp(
          server.url,
          { name: "config", path: "/api/v1/config", authorization },
          { connections: options.connections, duration: options.warmup },
        );
      }
      // The warm-up's batched activity entries and last-used writes land before round 1.
      await sleep(options.warmup > 0 ? CONFIG_FETCHES_EVERY_MS + SETTLE_MS : SETTLE_MS);

      const tokens = Array.from({ length: options.floodTokens }, () => generateToken().token);
      const rounds: FloodRound[] = [];
      const window: { ms: number; transactions: number; reconnections: number }[] = [];
      const started = performance.now();
      let round2StartedS = 0;
      for (const round of [1, 2]) {
        console.log(`  round ${round}: ${tokens.length.toLocaleString("en-US")} tokens at ${options.connections} connections…`);
        if (round === 2) round2StartedS = (performance.now() - started) / 1000;
        let stats: FloodRound | undefined;
        const run = async () => void (stats = await flood(server.url, server.pid, tokens, options.connections, round));
        if (observer) {
          const c = await counted(observer, dbName, run);
          window.push({ ms: c.windowMs, transactions: c.transactions, reconnections: c.reconnections });
        } else {
          await run();
        }
        rounds.push(stats!);
      }
      if (observer) {
        for (const [i, w] of window.entries()) {
          console.log(`  idle baseline ${i + 1}: ${(w.ms / 1000).toFixed(1)} s…`);
          const idle = await counted(observer, dbName, () => sleep(Math.max(0, w.ms - SETTLE_MS)));
          const baseline = idle.transactions - idle.reconnections;
          const net = w.transactions - w.reconnections - baseline;
          rounds[i]!.queries = {
            windowMs: Math.round(w.ms),
            transactions: w.transactions,
            reconnections: w.reconnections,
            baseline,
            net,
            perToken: net / tokens.length,
          };
        }
      }

      const notes: string[] = [];
      const noisy = rounds.filter((s) => (s.cpu?.outsideCores ?? 0) > 0.15);
      if (noisy.length)
        notes.push(
          `Other programs used up to ${Math.max(...noisy.map((s) => s.cpu!.outsideCores)).toFixed(2)} cores during round(s) ${noisy.map((s) => s.round).join(", ")}: the machine was not idle, req/s and latencies are noisy (the query counts are not).`,
        );
      if (!observer)
        notes.push(
          "PGlite: the database lives in the server's process, so its queries cannot be counted from outside; answers and timings only.",
        );
      if (round2StartedS > UNKNOWN_TTL_S * 0.9)
        notes.push(
          `Round 2 began ${round2StartedS.toFixed(0)} s after round 1: near or past the negative entries' TTL (${UNKNOWN_TTL_S} s), some expired.`,
        );
      if (tokens.length > UNKNOWN_SIZE)
        notes.push(`More tokens than the negative cache holds (${UNKNOWN_SIZE.toLocaleString("en-US")}): round 2 cannot be free.`);
      const targets: Target[] = [];
      const [q1, q2] = rounds.map((s) => s.queries);
      if (q1 && q2) {
        targets.push(
          {
            name: "round 1",
            goal: "round 1: at most one query per unknown token (≤ 1.05)",
            value: q1.perToken.toFixed(3),
            met: q1.perToken <= 1.05,
          },
          {
            name: "round 2",
            goal: "round 2: no query for tokens already refused (≤ 0.01 per token)",
            value: q2.perToken.toFixed(3),
            met: q2.perToken <= 0.01,
          },
        );
      }
      const result: FloodResult = {
        startedAt: new Date().toISOString(),
        db: database.version,
        users: options.users,
        connections: options.connections,
        rounds,
        targets,
        notes,
      };
      print(result);
      for (const note of notes) console.log(`Note: ${note}`);
      console.log(`Written: ${writeResults(root, stamp, database.kind, "flood", { machine, options, result })}`);
      const problems = rounds.flatMap((s) => {
        const unexpected = Object.entries(s.statusCodes).filter(([code]) => code !== "401" && code !== "429");
        return [
          ...(unexpected.length ? [`round ${s.round}: answers other than 401/429: ${JSON.stringify(Object.fromEntries(unexpected))}`] : []),
          ...(s.errors ? [`round ${s.round}: ${s.errors} connection errors`] : []),
          ...(s.resent ? [`round ${s.round}: ${s.resent} tokens sent twice`] : []),
        ];
      });
      for (const problem of problems) console.error(`FAILED: ${problem}`);
      return problems.length ? 1 : 0;
    } catch (error) {
      console.error(`server log (last lines):\n${server.logTail()}`);
      throw error;
    }
  } finally {
    await cleanupTo(mark);
  }
}
