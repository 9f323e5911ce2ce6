/**
 * `npm run bench -- --gateway`: the gateway against the provider emulator (its own process), each
 * figure beside a direct call to the emulator. Seeds N users, each with a gateway-mode OpenAI
 * credential whose API Host is the emulator and an agent token, then measures:
 * (a) a small non-streaming chat completion at N connections: gateway vs GET /api/ping vs direct,
 *     and through the profile gateway (`/gateway/profile/bench/…`, one entry: the same credential);
 * (b) the same at a fixed rate: the p50 the gateway adds;
 * (c) concurrent streams: per-chunk delay from the emulator's send time to receipt, server RSS;
 * (d) streams cancelled mid-way: upstream responses the emulator saw closed within 1 s.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { emulatorKey } from "@/e2e/emulator/scenarios";
import { freePort } from "@/e2e/free-port";
import { generateMasterKeySpec, parseMasterKeys } from "@/lib/crypto/master-keys";
import type { BenchOptions } from "./args";
import { cleanupMark, cleanupTo, onCleanup } from "./cleanup";
import { preparePglite, preparePostgres, settle } from "./database";
import { closedLoop, fixedRate, warmUp, type PhaseStats, type Route } from "./load";
import { pad, row, type Machine, writeResults } from "./report";
import { seedUsers } from "./seed";
import { startServer } from "./server";
import { cancelledStreams, concurrentStreams, withMemory, type CancelStats, type MemoryStats, type StreamStats } from "./streams";

const MODEL = "gpt-4o-mini";
const CHAT_BODY = JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "Say OK." }] });

/** The emulator in a process of its own (so its work does not share the bench's event loop). */
async function startEmulatorProcess(root: string): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "e2e/emulator/cli.ts", "--port", String(port)], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const pid = child.pid!;
  onCleanup(`stop emulator pid ${pid}`, () => {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already gone
    }
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/__emulator/health`)).ok) return { url, pid };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the provider emulator did not start");
}

export type GatewayResult = {
  startedAt: string;
  db: string;
  users: number;
  durationS: number;
  connections: number;
  closedLoop: { ping: PhaseStats; gateway: PhaseStats; profile: PhaseStats; direct: PhaseStats };
  fixedRate: { gateway: PhaseStats; direct: PhaseStats };
  streams: { plan: string; direct: StreamStats; gateway: StreamStats; memory: MemoryStats | null };
  cancelled: CancelStats;
  targets: { goal: string; value: string; met: boolean }[];
};

function targetsOf(r: Omit<GatewayResult, "targets">): GatewayResult["targets"] {
  const ratio = r.closedLoop.gateway.reqPerSec / r.closedLoop.ping.reqPerSec;
  const added = r.fixedRate.gateway.latencyMs.p50 - r.fixedRate.direct.latencyMs.p50;
  const p99 = r.streams.gateway.chunkDelayMs.p99;
  const growth = r.streams.memory?.growthMiB;
  return [
    { goal: "gateway req/s ≥ 0.6 × /api/ping req/s", value: ratio.toFixed(2), met: ratio >= 0.6 },
    { goal: `added p50 ≤ 3 ms at ${r.fixedRate.gateway.targetRate} req/s`, value: `${added} ms`, met: added <= 3 },
    { goal: "per-chunk delay p99 ≤ 5 ms", value: `${p99} ms`, met: p99 <= 5 },
    {
      goal: "server RSS growth ≤ 150 MB",
      value: growth === undefined ? "n/a" : `${growth} MiB`,
      met: growth !== undefined && growth * 1.048576 <= 150,
    },
    {
      goal: `${r.cancelled.cancelled} cancelled streams close upstream within 1 s`,
      value: `${r.cancelled.closedWithin1s}`,
      met: r.cancelled.closedWithin1s === r.cancelled.cancelled,
    },
  ];
}

function print(r: GatewayResult): void {
  const header = `  ${"".padEnd(20)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("max ms", 8)}${pad("failed", 9)}${pad("CPU/req", 12)}  cores server/bench/postgres/outside`;
  console.log(
    `\nGateway results: ${r.users.toLocaleString("en-US")} users on ${r.db}, ${r.durationS} s per phase (CPU/req of the direct rows: the emulator's)`,
  );
  console.log(`Closed loop, ${r.connections} connections:`);
  console.log(header);
  console.log(row("GET /api/ping", r.closedLoop.ping));
  console.log(row("gateway chat", r.closedLoop.gateway));
  console.log(row("profile gateway chat", r.closedLoop.profile));
  console.log(row("direct chat", r.closedLoop.direct));
  console.log(`Fixed rate, ${r.fixedRate.gateway.targetRate} req/s:`);
  console.log(header);
  console.log(row("gateway chat", r.fixedRate.gateway));
  console.log(row("direct chat", r.fixedRate.direct));
  const d = (s: StreamStats) =>
    `p50 ${s.chunkDelayMs.p50} ms, p90 ${s.chunkDelayMs.p90} ms, p99 ${s.chunkDelayMs.p99} ms, max ${s.chunkDelayMs.max} ms over ${s.chunkDelayMs.count.toLocaleString("en-US")} chunks; ${s.completed}/${s.streams} complete in ${(s.wallMs / 1000).toFixed(1)} s${s.firstFailure ? `; first failure: ${s.firstFailure}` : ""}`;
  console.log(`Streams (${r.streams.plan}), delay from the emulator's send to receipt here:`);
  console.log(`  direct   ${d(r.streams.direct)}`);
  console.log(`  gateway  ${d(r.streams.gateway)}`);
  const m = r.streams.memory;
  if (m)
    console.log(`  server RSS: ${m.beforeMiB} MiB before, ${m.peakMiB} MiB peak, ${m.afterMiB} MiB 1 s after (growth ${m.growthMiB} MiB)`);
  const c = r.cancelled;
  const delay = c.closeDelayMs ? `; close after abort p50 ${c.closeDelayMs.p50} ms, max ${c.closeDelayMs.max} ms` : "";
  console.log(
    `Cancelled mid-way: ${c.cancelled} streams; upstream closed early ${c.closedUpstream}, within 1 s ${c.closedWithin1s}${delay}`,
  );
  console.log("Targets (goals, not tests):");
  for (const t of r.targets) console.log(`  [${t.met ? "met" : "NOT met"}] ${t.goal}: ${t.value}`);
}

/** One gateway run; returns the process exit code. */
export async function runGateway(root: string, options: BenchOptions, machine: Machine, stamp: string): Promise<number> {
  const mark = cleanupMark();
  try {
    const workDir = mkdtempSync(path.join(os.tmpdir(), "byok-bench-"));
    onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
    const emulator = await startEmulatorProcess(root);
    const adminUrl = process.env.DATABASE_URL?.trim();
    const database = adminUrl ? await preparePostgres(adminUrl, options.keepDb) : await preparePglite(workDir);
    console.log(
      `\n== gateway · ${options.users.toLocaleString("en-US")} users · ${database.version} · emulator ${emulator.url} (pid ${emulator.pid})`,
    );
    const keySpec = generateMasterKeySpec("v1");
    const keys: string[] = [];
    const connection = await database.open();
    let seed: Awaited<ReturnType<typeof seedUsers>>;
    try {
      seed = await seedUsers(connection.db, {
        users: options.users,
        batch: options.batch,
        keyring: parseMasterKeys(keySpec),
        concurrency: 1,
        apiHost: `${emulator.url}/openai/v1`,
        apiKey: () => keys[keys.push(emulatorKey("valid")) - 1]!,
        delivery: "gateway",
        profile: "bench",
      });
      if (options.budgets) {
        // Every token gets a budget no run reaches: each request then pays admission and token counting.
        await connection.db.execute(
          sql`insert into budgets (scope, token_id, request_limit, token_limit) select 'token', id, 1000000000000, 1000000000000 from agent_tokens`,
        );
        console.log(`Budgets: every token has one (${seed.tokens.length.toLocaleString("en-US")})`);
      }
      await settle(connection.db);
    } finally {
      await connection.close();
    }
    const port = await freePort();
    const server = await startServer({
      root,
      port,
      logFile: path.join(workDir, "server.log"),
      env: {
        ...database.serverEnv,
        NODE_ENV: "production",
        AUTH_SECRET: randomBytes(32).toString("base64"),
        BYOK_ENCRYPTION_KEYS: keySpec,
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
        PORT: String(port),
        ALLOW_PRIVATE_API_HOSTS: "127.0.0.1",
      },
    });
    console.log(`Server: next start on ${server.url} (pid ${server.pid})`);
    try {
      const gatewayPath = (i: number, rest: string) => `/api/v1/gateway/${seed.credentialIds[i]}${rest}`;
      // The contract first: the config answer sends agents to the gateway with their own token.
      const config = await fetch(`${server.url}/api/v1/config`, { headers: { authorization: `Bearer ${seed.tokens[0]}` } });
      const answer = (await config.json()) as { delivery?: string; apiHost?: string; apiKey?: string };
      if (answer.delivery !== "gateway" || !answer.apiHost?.endsWith(gatewayPath(0, "")) || answer.apiKey !== seed.tokens[0]) {
        throw new Error(`GET /api/v1/config does not send agents to the gateway: ${JSON.stringify(answer).slice(0, 300)}`);
      }
      const pick = () => Math.floor(Math.random() * seed.tokens.length);
      const ping: Route = { name: "ping", path: "/api/ping" };
      const gateway: Route = {
        name: "gateway",
        path: gatewayPath(0, "/chat/completions"),
        body: CHAT_BODY,
        target: () => {
          const i = pick();
          return { path: gatewayPath(i, "/chat/completions"), authorization: `Bearer ${seed.tokens[i]}` };
        },
      };
      const profile: Route = {
        name: "profile",
        path: "/api/v1/gateway/profile/bench/chat/completions",
        body: CHAT_BODY,
        authorization: () => `Bearer ${seed.tokens[pick()]}`,
      };
      const direct: Route = {
        name: "direct",
        path: "/openai/v1/chat/completions",
        body: CHAT_BODY,
        authorization: () => `Bearer ${keys[pick()]}`,
      };
      const on = (route: Route) =>
        route.name === "direct" ? { url: emulator.url, pid: emulator.pid } : { url: server.url, pid: server.pid };
      const loop = async (route: Route) => {
        console.log(`  ${route.name}: warm-up ${options.warmup} s, then ${options.duration} s at ${options.connections} connections…`);
        await warmUp(on(route).url, route, { connections: options.connections, duration: options.warmup });
        return closedLoop(on(route).url, on(route).pid, route, { connections: options.connections, duration: options.duration });
      };
      const atRate = (route: Route) => {
        console.log(`  ${route.name}: ${options.duration} s at ${options.rate} req/s…`);
        return fixedRate(on(route).url, on(route).pid, route, {
          rate: options.rate,
          connections: options.connections,
          duration: options.duration,
          burst: options.rateBurst,
        });
      };
      const closed = { ping: await loop(ping), gateway: await loop(gateway), profile: await loop(profile), direct: await loop(direct) };
      const fixed = { gateway: await atRate(gateway), direct: await atRate(direct) };

      const plan = `${options.streams} × ${options.chunks} chunks, ${options.chunkIntervalMs} ms apart`;
      const model = `${MODEL}:stream-${options.chunks}x${options.chunkIntervalMs}ms`;
      const to = (base: string, pathOf: (i: number) => string, auth: (i: number) => string) => (i: number) => {
        const n = i % seed.tokens.length;
        return { url: `${base}${pathOf(n)}`, authorization: auth(n), key: keys[n]! };
      };
      const directTarget = to(
        emulator.url,
        () => "/openai/v1/chat/completions",
        (n) => `Bearer ${keys[n]}`,
      );
      const gatewayTarget = to(
        server.url,
        (n) => gatewayPath(n, "/chat/completions"),
        (n) => `Bearer ${seed.tokens[n]}`,
      );
      console.log(`  streams: ${plan}, direct then through the gateway…`);
      const directStreams = await concurrentStreams(directTarget, options.streams, { model, intervalMs: options.chunkIntervalMs });
      const { value: gatewayStreams, memory } = await withMemory(server.pid, () =>
        concurrentStreams(gatewayTarget, options.streams, { model, intervalMs: options.chunkIntervalMs }),
      );
      console.log(`  ${options.cancels} streams cancelled mid-way…`);
      const cancelled = await cancelledStreams(
        gatewayTarget,
        Math.min(options.cancels, seed.tokens.length),
        { model, chunks: options.chunks },
        emulator.url,
      );

      const partial = {
        startedAt: new Date().toISOString(),
        db: database.version,
        users: options.users,
        durationS: options.duration,
        connections: options.connections,
        closedLoop: closed,
        fixedRate: fixed,
        streams: { plan, direct: directStreams, gateway: gatewayStreams, memory },
        cancelled,
      };
      const result: GatewayResult = { ...partial, targets: targetsOf(partial) };
      print(result);
      console.log(`Written: ${writeResults(root, stamp, database.kind, "gateway", { machine, options, result })}`);
      const failures = [...Object.values(closed), ...Object.values(fixed)].filter((s) => s.non2xx + s.errors > 0);
      for (const s of failures)
        console.error(
          `FAILED: ${s.route} ${s.mode}: ${s.non2xx} non-2xx, ${s.errors} errors. First: ${JSON.stringify(s.firstError ?? s.firstConnectionError)}`,
        );
      if (gatewayStreams.failed || directStreams.failed) console.error("FAILED: some streams did not complete");
      return failures.length || gatewayStreams.failed || directStreams.failed ? 1 : 0;
    } catch (error) {
      console.error(`server log (last lines):\n${server.logTail()}`);
      throw error;
    }
  } finally {
    await cleanupTo(mark);
  }
}
