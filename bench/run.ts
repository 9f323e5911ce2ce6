/**
 * `npm run bench`: throughput and latency of GET /api/v1/config (the agent hot path) against the
 * trivial GET /api/ping, on the production server (`next start`) with N seeded users; with
 * --gateway, the gateway against the provider emulator (bench/gateway.ts); with --usage, the org
 * usage page's queries over millions of seeded usage rows (bench/usage.ts); with --coherence, how
 * soon a revocation reaches another server's resolution cache (bench/coherence.ts); with --flood,
 * what unknown tokens cost the database (bench/flood.ts). See bench/README.md.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateMasterKeySpec, parseMasterKeys } from "@/lib/crypto/master-keys";
import { freePort } from "@/e2e/free-port";
import { parseArgs, USAGE, type BenchOptions } from "./args";
import { cleanupMark, cleanupTo, installSignalHandlers, onCleanup } from "./cleanup";
import { runCoherence } from "./coherence";
import { printComparison } from "./compare";
import { preparePglite, preparePostgres, settle } from "./database";
import { runFlood } from "./flood";
import { describeGc, gcBetween, logSize, type GcSummary } from "./gc-trace";
import { runGateway } from "./gateway";
import { closedLoop, fixedRate, quantile, warmUp, type PhaseStats, type Route } from "./load";
import { printProfile, summariseProfiles } from "./profile";
import { evaluateTargets, fileStamp, machineInfo, medianIndex, printRun, roundSpread, writeResults, type RunResult } from "./report";
import { seedUsers, type SeedResult } from "./seed";
import { runUsage } from "./usage";
import { ensureBuild, startServer } from "./server";

const root = path.resolve(__dirname, "..");
const PER_TOKEN_LIMIT = 1200; // per minute, lib/config/rate-limit.ts

/** One request per seeded sample: 200, and the key it decrypts is the key that was sealed. */
async function checkConfig(url: string, samples: SeedResult["samples"]): Promise<void> {
  const ping = await fetch(`${url}/api/ping`);
  if (ping.status !== 200) throw new Error(`GET /api/ping answered ${ping.status}: ${await ping.text()}`);
  for (const sample of samples) {
    const res = await fetch(`${url}/api/v1/config`, { headers: { authorization: `Bearer ${sample.token}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET /api/v1/config answered ${res.status}: ${body}`);
    const config = JSON.parse(body) as { apiKey?: string; source?: { name?: string } };
    if (config.apiKey !== sample.apiKey || config.source?.name !== sample.userName) {
      throw new Error("GET /api/v1/config answered 200 with another user's configuration or key");
    }
  }
}

function phaseProblems(s: PhaseStats, label: string): string[] {
  const problems: string[] = [];
  if (s.non2xx > 0) {
    const first = s.firstError ? ` First: HTTP ${s.firstError.status} ${s.firstError.body}` : "";
    problems.push(`${label}: ${s.non2xx} non-2xx of ${s.requests} (${JSON.stringify(s.statusCodes)}).${first}`);
  }
  if (s.errors > 0)
    problems.push(`${label}: ${s.errors} connection errors (${s.timeouts} timeouts). First: ${s.firstConnectionError ?? "?"}`);
  return problems;
}

async function runOnce(options: BenchOptions, users: number, stamp: string): Promise<{ result: RunResult; problems: string[] }> {
  const mark = cleanupMark();
  try {
    const workDir = mkdtempSync(path.join(os.tmpdir(), "byok-bench-"));
    onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
    const adminUrl = process.env.DATABASE_URL?.trim();
    // Kept next to the results (runs after the server stopped, before the directory goes).
    const serverLog = path.join("bench", "results", `${stamp}-${adminUrl ? "postgres" : "pglite"}-${users}-server.log`);
    onCleanup("keep the server log", () => {
      const log = path.join(workDir, "server.log");
      if (existsSync(log)) {
        mkdirSync(path.dirname(path.join(root, serverLog)), { recursive: true });
        copyFileSync(log, path.join(root, serverLog));
      }
    });
    const database = adminUrl ? await preparePostgres(adminUrl, options.keepDb) : await preparePglite(workDir);
    console.log(`\n== ${users.toLocaleString("en-US")} users · ${database.version} · ${database.description}`);

    // The server and the seeding share one keyring: the server must open what the seeding sealed.
    const keySpec = generateMasterKeySpec("v1");
    const keyring = parseMasterKeys(keySpec);
    const connection = await database.open();
    let seed: SeedResult;
    let settleMs: number;
    try {
      const every = Math.max(options.batch, Math.ceil(users / 10 / options.batch) * options.batch);
      seed = await seedUsers(connection.db, {
        users,
        batch: options.batch,
        keyring,
        concurrency: database.kind === "postgres" ? 2 : 1,
        lastUsedAt: options.noLastUsedWrites ? new Date(Date.now() + 3_600_000) : undefined,
        onProgress: (done) => {
          if (users >= 10_000 && (done % every === 0 || done === users)) console.log(`  seeded ${done.toLocaleString("en-US")}`);
        },
      });
      const started = performance.now();
      await settle(connection.db);
      settleMs = performance.now() - started;
    } finally {
      await connection.close();
    }
    const rows = users * 4;
    const rowsPerSecond = rows / (seed.ms / 1000);
    console.log(
      `Seeding: ${users.toLocaleString("en-US")} users (${rows.toLocaleString("en-US")} rows in batches of ${options.batch}) in ${(seed.ms / 1000).toFixed(1)} s` +
        ` (${Math.round(rowsPerSecond).toLocaleString("en-US")} rows/s; building rows ${(seed.buildMs / 1000).toFixed(1)} s, INSERTs ${(seed.insertMs / 1000).toFixed(1)} s; argon2 hash once ${Math.round(seed.passwordHashMs)} ms; vacuum/analyze/checkpoint ${Math.round(settleMs)} ms)`,
    );

    const port = await freePort();
    const serverLogFile = path.join(workDir, "server.log");
    const profileDir = options.profile ? path.join(root, "bench", "results", "profiles", stamp) : null;
    const started = performance.now();
    const server = await startServer({
      root,
      port,
      logFile: serverLogFile,
      nodeFlags: [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), ...(options.traceGc ? ["--trace-gc"] : [])],
      env: {
        ...database.serverEnv,
        NODE_ENV: "production",
        AUTH_SECRET: randomBytes(32).toString("base64"),
        BYOK_ENCRYPTION_KEYS: keySpec,
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
        PORT: String(port),
      },
    });
    const serverStartMs = performance.now() - started;
    console.log(`Server: next start on ${server.url} (pid ${server.pid}), healthy after ${(serverStartMs / 1000).toFixed(1)} s`);

    try {
      await checkConfig(server.url, seed.samples);
      const headers = seed.tokens.map((token) => `Bearer ${token}`);
      const ping: Route = { name: "ping", path: "/api/ping" };
      const config: Route = {
        name: "config",
        path: "/api/v1/config",
        authorization: () => headers[Math.floor(Math.random() * headers.length)]!,
      };
      const say = (what: string) => console.log(`  ${what}…`);
      /** A phase, and the last_used_at writes it caused (counted after the in-flight ones land). */
      const counted = async (phase: () => Promise<PhaseStats>) => {
        const since = new Date();
        const stats = await phase();
        if (database.tokenWritesSince) {
          await new Promise((r) => setTimeout(r, 300));
          stats.tokenWrites = await database.tokenWritesSince(since);
        }
        return stats;
      };
      let served = seed.samples.length + 1; // the checks above
      let primeMs: number | null = null;
      const extraPhases: PhaseStats[] = [];
      /** Steady state: every token asked for once, so the measured phases meet the server as agents that keep calling it do (resolution cache filled, last use recorded). */
      const prime = async () => {
        if (options.cold) return;
        say(`${config.path}: each of the ${headers.length.toLocaleString("en-US")} tokens once`);
        let next = 0;
        const each: Route = { ...config, authorization: () => headers[next++ % headers.length]! };
        const started = performance.now();
        served += await warmUp(server.url, each, { connections: options.connections, amount: headers.length });
        primeMs = performance.now() - started;
      };
      const warm = async (route: Route) => {
        say(`${route.path}: warm-up ${options.warmup} s at ${options.connections} connections${options.profile ? " (profiling)" : ""}`);
        served += await warmUp(server.url, route, { connections: options.connections, duration: options.warmup });
      };
      /** Every measured closed-loop latency of each route (ms), for the pooled p99. */
      const latencies: Record<string, number[]> = { ping: [], config: [] };
      const measure = async (route: Route, label: string) => {
        say(`${route.path}: ${options.duration} s at ${options.connections} connections${label}`);
        const logFrom = logSize(serverLogFile);
        const stats = await counted(() =>
          closedLoop(server.url, server.pid, route, {
            connections: options.connections,
            duration: options.duration,
            latencies: latencies[route.name],
          }),
        );
        if (options.traceGc) stats.gc = gcBetween(serverLogFile, logFrom, logSize(serverLogFile));
        served += stats.requests;
        return stats;
      };
      const atRate = (route: Route) => {
        say(`${route.path}: ${options.duration} s at ${options.rate} req/s`);
        const rateOptions = { rate: options.rate, connections: options.connections, duration: options.duration, burst: options.rateBurst };
        return counted(() => fixedRate(server.url, server.pid, route, rateOptions));
      };

      let closed: RunResult["closedLoop"];
      let fixed: RunResult["fixedRate"] = null;
      let rounds: RunResult["rounds"] = [];
      let pooledP99: RunResult["pooledP99"] = null;
      let gcRounds: { ping: GcSummary; config: GcSummary }[] = [];
      if (options.profile) {
        const route = options.profile === "ping" ? ping : config;
        if (route === config) await prime();
        await warm(route);
        closed = { [options.profile]: await measure(route, " (profiling)") };
      } else {
        // Both routes warmed, then rounds whose order alternates: neither route always meets the
        // server fresher (JIT, heap) than the other, and each round's ratio compares neighbours in time.
        await prime();
        await warm(ping);
        await warm(config);
        const measured: { ping: PhaseStats; config: PhaseStats }[] = [];
        for (let i = 0; i < options.rounds; i++) {
          const label = ` (round ${i + 1} of ${options.rounds})`;
          if (i % 2 === 0) {
            const p = await measure(ping, label);
            measured.push({ ping: p, config: await measure(config, label) });
          } else {
            const c = await measure(config, label);
            measured.push({ config: c, ping: await measure(ping, label) });
          }
        }
        gcRounds = measured.flatMap((m) => (m.ping.gc && m.config.gc ? [{ ping: m.ping.gc, config: m.config.gc }] : []));
        rounds = measured.map((m) => ({
          ping: m.ping.reqPerSec,
          config: m.config.reqPerSec,
          ratio: m.config.reqPerSec / m.ping.reqPerSec,
          pingP99: m.ping.latencyMs.p99,
          configP99: m.config.latencyMs.p99,
          pingCpuMs: m.ping.cpu?.serverMsPerRequest ?? null,
          configCpuMs: m.config.cpu?.serverMsPerRequest ?? null,
        }));
        // The round with the median ratio stands for the run (its phases are the ones printed).
        const median = measured[medianIndex(rounds.map((r) => r.ratio))]!;
        closed = { ping: median.ping, config: median.config };
        for (const m of measured)
          for (const stats of [m.ping, m.config]) if (stats !== median.ping && stats !== median.config) extraPhases.push(stats);
        if (rounds.length > 1) pooledP99 = { ping: quantile(latencies.ping!, 0.99), config: quantile(latencies.config!, 0.99) };
        fixed = { ping: await atRate(ping), config: await atRate(config) };
      }

      const phases: [string, PhaseStats][] = [];
      if (closed.ping) phases.push(["GET /api/ping (closed loop)", closed.ping]);
      if (closed.config) phases.push(["GET /api/v1/config (closed loop)", closed.config]);
      if (fixed) phases.push(["GET /api/ping (fixed rate)", fixed.ping], ["GET /api/v1/config (fixed rate)", fixed.config]);
      for (const stats of extraPhases) phases.push([`${stats.path} (closed loop, another round)`, stats]);
      const problems = phases.flatMap(([label, stats]) => phaseProblems(stats, label));

      const notes: string[] = [];
      if (primeMs !== null)
        notes.push(
          `Before the config phases every token was asked for once (${(primeMs / 1000).toFixed(1)} s): the steady state of agents that keep calling.`,
        );
      else if (closed.config)
        notes.push("--cold: the config phases met tokens not asked for before (cache misses, first last-used writes).");
      if (options.noLastUsedWrites)
        notes.push("Diagnostic run (--no-last-used-writes): last_used_at seeded an hour ahead, so the server never wrote it.");
      if (closed.config) {
        const perTokenPerMinute = (closed.config.reqPerSec * 60) / users;
        notes.push(
          `Tokens drawn uniformly at random: ≈ ${perTokenPerMinute.toFixed(1)} requests per token per minute on average (server limit ${PER_TOKEN_LIMIT}/min per token; 60 failures/min per IP, none expected with valid tokens).`,
        );
        if (perTokenPerMinute * 2 > PER_TOKEN_LIMIT)
          notes.push("Too few users for this rate: some tokens may reach the per-token limit (429).");
      }
      const noisy = phases.filter(([, s]) => (s.cpu?.outsideCores ?? 0) > 0.15);
      if (noisy.length) {
        const worst = Math.max(...noisy.map(([, s]) => s.cpu!.outsideCores));
        notes.push(
          `Other programs used up to ${worst.toFixed(2)} cores during ${noisy.map(([label]) => label).join(", ")}: the machine was not idle, figures are noisy.`,
        );
      }
      const both = closed.ping && closed.config ? { ping: closed.ping, config: closed.config } : null;
      const ratio = both ? both.config.reqPerSec / both.ping.reqPerSec : null;
      if (rounds.length > 1)
        notes.push(
          `Closed-loop rounds (ping / config req/s, ratio): ${rounds.map((r) => `${Math.round(r.ping)} / ${Math.round(r.config)} = ${r.ratio.toFixed(2)}`).join("; ")}. The median round is the one shown.`,
          `Closed-loop rounds' p99 (ping / config ms): ${rounds.map((r) => `${r.pingP99} / ${r.configP99}`).join("; ")}.`,
        );
      if (pooledP99)
        notes.push(
          `p99 of all rounds pooled (ping / config): ${pooledP99.ping.toFixed(1)} / ${pooledP99.config.toFixed(1)} ms (${latencies.ping!.length.toLocaleString("en-US")} / ${latencies.config!.length.toLocaleString("en-US")} responses; each connection's first of a phase left out).`,
        );
      const spread = roundSpread(rounds);
      if (spread) {
        notes.push(
          `Spread of the rounds: pooled ratio (all config responses / all ping responses) ${spread.pooled.toFixed(2)}; 90 % bootstrap interval of the median ratio ${spread.medianInterval.map((v) => v.toFixed(2)).join("–")}.`,
        );
        if (spread.cpuRatio !== null && spread.cpuRatioRange)
          notes.push(
            `Server CPU per response, ping / config (what each route costs the server, whatever share of the machine it got): median round ${spread.cpuRatio.toFixed(2)}, rounds ${spread.cpuRatioRange.map((v) => v.toFixed(2)).join("–")}; per round ${rounds.map((r) => `${r.pingCpuMs!.toFixed(3)} / ${r.configCpuMs!.toFixed(3)} ms`).join("; ")}.`,
          );
      }
      if (options.traceGc)
        notes.push(
          `Garbage collection per closed-loop round (--trace-gc):\n${gcRounds.map((r, i) => `    round ${i + 1}: ping ${describeGc(r.ping)}\n             config ${describeGc(r.config)}`).join("\n")}`,
        );
      const result: RunResult = {
        startedAt: new Date().toISOString(),
        db: { kind: database.kind, version: database.version, where: database.description },
        users,
        durationS: options.duration,
        warmupS: options.warmup,
        connections: options.connections,
        seeding: {
          ms: Math.round(seed.ms),
          buildMs: Math.round(seed.buildMs),
          insertMs: Math.round(seed.insertMs),
          passwordHashMs: Math.round(seed.passwordHashMs),
          settleMs: Math.round(settleMs),
          rowsPerSecond: Math.round(rowsPerSecond),
        },
        serverStartMs: Math.round(serverStartMs),
        primeMs: primeMs === null ? null : Math.round(primeMs),
        serverLog,
        closedLoop: closed,
        rounds,
        pooledP99,
        fixedRate: fixed,
        ratio,
        targets: both ? evaluateTargets(both, fixed, database.kind, rounds, pooledP99) : [],
        notes,
      };
      if (profileDir) {
        await server.stop();
        const summary = summariseProfiles(profileDir);
        if (summary) printProfile(summary, served);
        (result as RunResult & { profile?: unknown }).profile = { dir: path.relative(root, profileDir), summary };
      }
      return { result, problems };
    } catch (error) {
      console.error(`server log (last lines; all of it in ${serverLog}):\n${server.logTail()}`);
      throw error;
    }
  } finally {
    await cleanupTo(mark);
  }
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  if (options.coherence && !process.env.DATABASE_URL?.trim()) {
    console.error(
      "--coherence needs PostgreSQL: two servers share one database and hear its notifications (PGlite is one process's alone). Set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- --coherence",
    );
    return 1;
  }
  installSignalHandlers();
  if (options.usage) {
    // No server: the bench calls lib/usage directly, so no build is needed.
    const machine = machineInfo(root);
    console.log(
      `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage1m.toFixed(2)}`,
    );
    return runUsage(root, options, machine, fileStamp());
  }
  const build = ensureBuild(root, options.build);
  if (!build.built && build.newer.length > 0) {
    console.log(
      `Note: ${build.newer.length} source file(s) changed since the last build (e.g. ${build.newer.slice(0, 3).join(", ")}); run \`npx next build\` (or --build) if they matter.`,
    );
  }
  const machine = machineInfo(root);
  console.log(
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, Next ${machine.next}, commit ${machine.gitCommit.slice(0, 10)}${machine.gitDirty ? " (dirty)" : ""}, build ${machine.buildId} of ${machine.builtAt}, load ${machine.loadAverage1m.toFixed(2)}`,
  );

  const stamp = fileStamp();
  if (options.gateway) return runGateway(root, options, machine, stamp);
  if (options.coherence) return runCoherence(root, options, machine, stamp);
  if (options.flood) return runFlood(root, options, machine, stamp);
  const counts = options.compare ? [1000, 100_000] : [options.users];
  const runs: RunResult[] = [];
  let failed = false;
  for (const users of counts) {
    const { result, problems } = await runOnce(options, users, stamp);
    printRun(result);
    for (const note of result.notes) console.log(`Note: ${note}`);
    const file = writeResults(root, stamp, result.db.kind, String(users), { machine, options, result, problems });
    console.log(`Written: ${file}`);
    if (problems.length) {
      failed = true;
      for (const problem of problems) console.error(`FAILED: ${problem}`);
      console.error(`Server log: ${result.serverLog}`);
    }
    runs.push(result);
  }
  if (options.compare && runs.length === 2) {
    const comparison = printComparison(runs[0]!, runs[1]!);
    console.log(`Written: ${writeResults(root, stamp, runs[0]!.db.kind, "compare", { machine, options, comparison })}`);
  }
  if (failed) return 1;
  const last = runs[runs.length - 1]!;
  if (last.ratio !== null) console.log(`config/trivial ratio: ${last.ratio.toFixed(2)}`);
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch(async (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    await cleanupTo(0);
    process.exit(1);
  });
