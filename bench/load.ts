/**
 * Load phases with autocannon's programmatic API: closed loop (N connections, each sending its
 * next request when the previous answers) and a fixed rate. Every response is checked: the first
 * non-2xx body is kept for the report. Server and machine CPU are sampled around each phase.
 */
import autocannon from "autocannon";
import { processCpuMs, processesCpuMs, systemCpuMs } from "./cpu";
import type { GcSummary } from "./gc-trace";

export type Route = {
  name: "ping" | "config" | "gateway" | "profile" | "direct";
  path: string;
  /** An Authorization header value per request (a token drawn at random), when the route needs one. */
  authorization?: () => string;
  /** POST with this JSON body (default GET). */
  body?: string;
  /** Per request: the path and Authorization to use (the gateway's path names the token's credential). */
  target?: () => { path: string; authorization: string };
};

export type PhaseStats = {
  route: Route["name"];
  path: string;
  mode: "closed-loop" | "fixed-rate";
  connections: number;
  targetRate: number | null;
  durationS: number;
  /** Responses received (any status). */
  requests: number;
  /** autocannon's mean of per-second samples (closed loop); responses / duration (fixed rate). */
  reqPerSec: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p99_9: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  firstError: { status: number; body: string } | null;
  firstConnectionError: string | null;
  /** Collections during the phase (`--trace-gc` only). */
  gc?: GcSummary;
  /** agent_tokens.last_used_at writes during the phase (Postgres only). */
  tokenWrites: number | null;
  cpu: {
    /** Server process CPU per response, ms. */
    serverMsPerRequest: number;
    /** Cores kept busy, on average, by the server, this process (autocannon), local Postgres processes, and the rest. */
    serverCores: number;
    benchCores: number;
    postgresCores: number;
    /** Everything else on the machine (other programs, kernel): noise when well above 0. */
    outsideCores: number;
  } | null;
};

type Probe = { firstError: PhaseStats["firstError"]; firstConnectionError: string | null };

function requestsFor(route: Route, probe: Probe): autocannon.Request[] {
  const onResponse = (status: number, body: string) => {
    if ((status < 200 || status >= 300) && !probe.firstError) probe.firstError = { status, body: body.slice(0, 1000) };
  };
  const method = route.body === undefined ? "GET" : "POST";
  const body = route.body === undefined ? {} : { body: route.body, headers: { "content-type": "application/json" } };
  const { target } = route;
  if (target) {
    return [
      {
        method,
        path: route.path,
        ...body,
        setupRequest: (request) => {
          const chosen = target();
          request.path = chosen.path;
          request.headers.authorization = chosen.authorization;
          return request;
        },
        onResponse,
      },
    ];
  }
  const authorization = route.authorization;
  if (!authorization) return [{ method, path: route.path, ...body, onResponse }];
  return [
    {
      method,
      path: route.path,
      ...body,
      // autocannon hands over a fresh copy of the request (and its headers) for every call.
      setupRequest: (request) => {
        request.headers.authorization = authorization();
        return request;
      },
      onResponse,
    },
  ];
}

async function run(options: autocannon.Options, probe: Probe, latencies?: number[]): Promise<autocannon.Result> {
  const instance = autocannon({ timeout: 10, ...options });
  instance.on("reqError", (error: Error) => {
    probe.firstConnectionError ??= error.message;
  });
  // Every 2xx response's latency (ms) but each connection's first: 50 connections opened at once
  // wait for the server to take them up while it is busy with the others (first answers ≈ 0.4–1.9
  // s on this machine, ping as config), which says how the phase began, not what a route costs.
  if (latencies) {
    const answered = new WeakSet<object>();
    instance.on("response", (client: object, status: number, _bytes: number, ms: number) => {
      if (!answered.has(client)) answered.add(client);
      else if (status >= 200 && status < 300) latencies.push(ms);
    });
  }
  return instance;
}

/** The q-quantile (0–1) of some latencies, nearest rank; NaN for none. Sorts them in place. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))]!;
}

function countResponses(result: autocannon.Result): number {
  return Object.values(result.statusCodeStats).reduce((sum, s) => sum + s.count, 0);
}

/** Measures CPU around `work`: server process, this process, and the whole machine. */
export async function withCpu<T>(serverPid: number, work: () => Promise<T>) {
  const startedAt = performance.now();
  const server0 = processCpuMs(serverPid);
  const bench0 = process.cpuUsage();
  const system0 = systemCpuMs();
  const postgres0 = processesCpuMs("postgres");
  const value = await work();
  const wallMs = performance.now() - startedAt;
  const server1 = processCpuMs(serverPid);
  const bench = process.cpuUsage(bench0);
  const system1 = systemCpuMs();
  const postgres1 = processesCpuMs("postgres");
  if (server0 === null || server1 === null || !system0 || !system1) return { value, cpu: null };
  const serverMs = server1 - server0;
  const benchMs = (bench.user + bench.system) / 1000;
  const postgresMs = postgres0 !== null && postgres1 !== null ? Math.max(0, postgres1 - postgres0) : 0;
  const busyMs = system1.busy - system0.busy;
  return {
    value,
    cpu: {
      serverMs,
      serverCores: serverMs / wallMs,
      benchCores: benchMs / wallMs,
      postgresCores: postgresMs / wallMs,
      outsideCores: Math.max(0, busyMs - serverMs - benchMs - postgresMs) / wallMs,
    },
  };
}

function summarise(
  route: Route,
  mode: PhaseStats["mode"],
  result: autocannon.Result,
  extra: { connections: number; targetRate: number | null; durationS: number; reqPerSec?: number },
  probe: Probe,
  cpu: { serverMs: number; serverCores: number; benchCores: number; postgresCores: number; outsideCores: number } | null,
): PhaseStats {
  const requests = countResponses(result);
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  const l = result.latency;
  return {
    route: route.name,
    path: route.path,
    mode,
    connections: extra.connections,
    targetRate: extra.targetRate,
    durationS: extra.durationS,
    requests,
    reqPerSec: extra.reqPerSec ?? requests / extra.durationS,
    latencyMs: { mean: l.average, p50: l.p50, p90: l.p90, p99: l.p99, p99_9: l.p99_9, max: l.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    firstError: probe.firstError,
    firstConnectionError: probe.firstConnectionError,
    tokenWrites: null,
    cpu: cpu && {
      serverMsPerRequest: requests > 0 ? cpu.serverMs / requests : 0,
      serverCores: cpu.serverCores,
      benchCores: cpu.benchCores,
      postgresCores: cpu.postgresCores,
      outsideCores: cpu.outsideCores,
    },
  };
}

/**
 * Requests whose figures are discarded (JIT, pools, caches): for `duration` seconds, or exactly
 * `amount` requests. Returns how many were answered; throws when any was not a 2xx (a warm-up that
 * failed would leave the measured phase cold).
 */
export async function warmUp(
  url: string,
  route: Route,
  options: { connections: number; duration: number } | { connections: number; amount: number },
): Promise<number> {
  const probe: Probe = { firstError: null, firstConnectionError: null };
  const size = "amount" in options ? options.amount : options.duration;
  if (size <= 0) return 0;
  const limit = "amount" in options ? { amount: options.amount } : { duration: options.duration };
  const result = await run({ url, connections: options.connections, ...limit, requests: requestsFor(route, probe) }, probe);
  if (probe.firstError) throw new Error(`warm-up of ${route.path}: HTTP ${probe.firstError.status} ${probe.firstError.body}`);
  return countResponses(result);
}

/**
 * `duration` seconds with `connections` connections, each sending its next request when the
 * previous answers. With `latencies`, the latency (ms) of every 2xx response after each
 * connection's first is appended to it.
 */
export async function closedLoop(
  url: string,
  serverPid: number,
  route: Route,
  options: { connections: number; duration: number; latencies?: number[] },
): Promise<PhaseStats> {
  const probe: Probe = { firstError: null, firstConnectionError: null };
  const { value: result, cpu } = await withCpu(serverPid, () =>
    run(
      { url, connections: options.connections, duration: options.duration, requests: requestsFor(route, probe) },
      probe,
      options.latencies,
    ),
  );
  return summarise(
    route,
    "closed-loop",
    result,
    { connections: options.connections, targetRate: null, durationS: options.duration, reqPerSec: result.requests.average },
    probe,
    cpu,
  );
}

/**
 * A fixed overall rate. autocannon paces a connection by sending its share of a second's requests
 * back to back when its one-second timer fires, and all timers of an instance fire together: one
 * instance with 50 connections at 200 req/s sends 50 requests at once every second and measures
 * that burst's queue. By default this runs one single-connection instance per connection, started
 * 1/N s apart, so requests arrive spread over the second (`burst` = the single instance).
 * Latencies are recorded as measured (ignoreCoordinatedOmission: autocannon's correction assumes an
 * interval of 1/rate ms, not 1000/rate).
 */
export async function fixedRate(
  url: string,
  serverPid: number,
  route: Route,
  options: { rate: number; connections: number; duration: number; burst: boolean },
): Promise<PhaseStats> {
  const probe: Probe = { firstError: null, firstConnectionError: null };
  const connections = Math.min(options.connections, options.rate);
  const { value: result, cpu } = await withCpu(serverPid, async () => {
    if (options.burst) {
      return run(
        {
          url,
          connections,
          duration: options.duration,
          overallRate: options.rate,
          ignoreCoordinatedOmission: true,
          requests: requestsFor(route, probe),
        },
        probe,
      );
    }
    const parts = await Promise.all(
      Array.from({ length: connections }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 1000) / connections));
        const share = Math.floor(options.rate / connections) + (i < options.rate % connections ? 1 : 0);
        return run(
          {
            url,
            connections: 1,
            duration: options.duration,
            overallRate: share,
            ignoreCoordinatedOmission: true,
            skipAggregateResult: true,
            requests: requestsFor(route, probe),
          },
          probe,
        );
      }),
    );
    return autocannon.aggregateResult(parts, { url, connections });
  });
  return summarise(route, "fixed-rate", result, { connections, targetRate: options.rate, durationS: options.duration }, probe, cpu);
}
