/** Command-line options of `npm run bench`. */

export type BenchOptions = {
  /** Seeded users (each with a credential, a default and an agent token). */
  users: number;
  /** Seconds of each measured phase. */
  duration: number;
  /** Seconds of the warm-up of each route before the closed-loop rounds. */
  warmup: number;
  /** Closed-loop rounds (ping and config each once per round, the order alternating). */
  rounds: number;
  /** Concurrent connections of the closed-loop phases (and of the fixed-rate phase). */
  connections: number;
  /** Requests per second of the fixed-rate phase. */
  rate: number;
  /** Fixed rate as one autocannon instance (bursts once a second) instead of staggered ones. */
  rateBurst: boolean;
  /** Rows per multi-row INSERT while seeding. */
  batch: number;
  /** Keep the Postgres database `byok_bench_*` (printed) instead of dropping it. */
  keepDb: boolean;
  /** Run with 1,000 then 100,000 users and print the difference. */
  compare: boolean;
  /** Run `next build` even when a build exists. */
  build: boolean;
  /** Seed last_used_at an hour ahead, so the app's once-a-minute last-used write never comes due. */
  noLastUsedWrites: boolean;
  /** Skip asking for every token once before the config phases (measures the cold path instead). */
  cold: boolean;
  /** Start the server with Node's --trace-gc and report each measured phase's collections (bench/gc-trace.ts). */
  traceGc: boolean;
  /** Start the server with --cpu-prof and load only this route; prints where the CPU time goes. */
  profile: "ping" | "config" | null;
  /** Measure the gateway against the provider emulator instead of the config route (bench/gateway.ts). */
  gateway: boolean;
  /** Gateway: concurrent streams, chunks per stream, ms between chunks, streams cancelled mid-way. */
  streams: number;
  chunks: number;
  chunkIntervalMs: number;
  cancels: number;
  /** Measure the org usage page's queries over seeded gateway usage (bench/usage.ts). */
  usage: boolean;
  /** Usage: gateway_usage rows to seed. */
  rows: number;
  /** Usage: timed runs of each query set. */
  iterations: number;
  /** Gateway: give every seeded token a monthly budget (limits far above the run), to measure admission's cost. */
  budgets: boolean;
  /** Two servers on one PostgreSQL database: how soon a revocation written elsewhere is refused (bench/coherence.ts). */
  coherence: boolean;
  /** Well-formed unknown tokens sent twice over: the queries each round costs (bench/flood.ts). */
  flood: boolean;
  /** Flood: distinct unknown tokens per round. */
  floodTokens: number;
};

export const USAGE = `Usage: npm run bench -- [options]

  --users N        users to seed, each with an OpenAI credential, a default and an agent token (default 1000)
  --duration S     seconds of each measured phase (default 10)
  --warmup S       seconds of warm-up of each route before the closed-loop rounds (default 3)
  --rounds N       closed-loop rounds, ping and config once each, the order alternating (default 3);
                   the ratio is the median of the rounds' ratios
  --connections N  concurrent connections (default 50)
  --rate N         requests per second of the fixed-rate phase (default 200)
  --rate-burst     fixed rate as a single autocannon instance (it fires in bursts once a second)
  --batch N        rows per INSERT while seeding (default 1000)
  --keep-db        Postgres: keep the byok_bench_* database instead of dropping it
  --compare        run with 1,000 then 100,000 users and print the difference
  --build          run \`next build\` first even when .next/BUILD_ID exists
  --no-last-used-writes
                   diagnostic: seed agent_tokens.last_used_at an hour ahead so the server's
                   once-a-minute last-used UPDATE never comes due (isolates its cost)
  --cold           skip the pass that asks for every seeded token once before the config phases:
                   measures resolution cache misses (and first last-used writes) instead of the
                   steady state of agents that keep calling
  --gateway        measure POST /api/v1/gateway/<credential>/chat/completions against the provider
                   emulator (and beside a direct call to it): throughput, added latency, streams
                   (per-chunk delay, server RSS) and cancelled streams; see bench/README.md
  --streams N      gateway: concurrent streams (default 200)
  --chunks N       gateway: chunks per stream (default 100)
  --chunk-interval MS
                   gateway: ms between a stream's chunks (default 20)
  --cancels N      gateway: streams cancelled mid-way (default 100)
  --usage          measure the org usage page's queries (loadUsage over 30 and 90 days) on a seeded
                   rollup: seeds --rows gateway_usage rows for one org in SQL, rolls them into
                   usage_daily, prints p50/p95/p99 (no server; see bench/README.md)
  --rows N         usage: gateway_usage rows to seed (default 5000000; 5m and 500k work too)
  --iterations N   usage: timed runs of each query (default 50); coherence: revocations (default 100)
  --budgets        gateway: every seeded token gets a monthly budget (limits far above the run), so
                   each gateway request pays budget admission and token counting
  --coherence      PostgreSQL only: two servers on one database; revokes a token warmed on one of them
                   (written from the bench's own connection) and polls until that server answers 401:
                   time to refusal p50/p99/max and stale answers (default 300 users; see bench/README.md)
  --flood          well-formed unknown tokens, each sent once per round, two rounds at --connections:
                   answers by status, req/s, and (PostgreSQL) the queries each round cost the server
  --flood-tokens N flood: distinct unknown tokens (default 10000)
  --trace-gc       server under Node's --trace-gc: each closed-loop round's collections (count, main-thread
                   ms, longest pause, live heap), ping beside config
  --profile [R]    server under --cpu-prof, one closed-loop phase of route R (config, default, or ping);
                   prints where the server's CPU time went (profile kept in bench/results/profiles/)

Database: DATABASE_URL (Postgres; a fresh byok_bench_<random> database on that server), else PGlite
in a fresh temporary directory.`;

function parseCount(name: string, raw: string | undefined, min: number): number {
  if (raw === undefined) throw new Error(`${name} needs a value`);
  const match = /^(\d[\d_,]*)([km])?$/i.exec(raw.trim());
  const unit = match?.[2]?.toLowerCase();
  const value = match ? Number(match[1]!.replace(/[_,]/g, "")) * (unit === "m" ? 1_000_000 : unit === "k" ? 1000 : 1) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return value;
}

/** Parses argv (without node and the script); throws with a message on anything unknown. */
export function parseArgs(argv: string[]): BenchOptions | "help" {
  const options: BenchOptions = {
    users: 1000,
    duration: 10,
    rounds: 3,
    warmup: 3,
    connections: 50,
    rate: 200,
    rateBurst: false,
    batch: 1000,
    keepDb: false,
    compare: false,
    build: false,
    profile: null,
    traceGc: false,
    noLastUsedWrites: false,
    cold: false,
    gateway: false,
    streams: 200,
    chunks: 100,
    chunkIntervalMs: 20,
    cancels: 100,
    usage: false,
    rows: 5_000_000,
    iterations: 50,
    budgets: false,
    coherence: false,
    flood: false,
    floodTokens: 10_000,
  };
  // Defaults that depend on the mode: applied after the loop unless given.
  let users: number | undefined;
  let iterations: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "-h":
      case "--help":
        return "help";
      case "--users":
        users = parseCount(flag, value(), 1);
        break;
      case "--duration":
        options.duration = parseCount(flag, value(), 1);
        break;
      case "--rounds":
        options.rounds = parseCount(flag, value(), 1);
        break;
      case "--warmup":
        options.warmup = parseCount(flag, value(), 0);
        break;
      case "--connections":
        options.connections = parseCount(flag, value(), 1);
        break;
      case "--rate":
        options.rate = parseCount(flag, value(), 1);
        break;
      case "--batch":
        options.batch = parseCount(flag, value(), 1);
        break;
      case "--rate-burst":
        options.rateBurst = true;
        break;
      case "--keep-db":
        options.keepDb = true;
        break;
      case "--no-last-used-writes":
        options.noLastUsedWrites = true;
        break;
      case "--cold":
        options.cold = true;
        break;
      case "--compare":
        options.compare = true;
        break;
      case "--trace-gc":
        options.traceGc = true;
        break;
      case "--build":
        options.build = true;
        break;
      case "--gateway":
        options.gateway = true;
        break;
      case "--budgets":
        options.budgets = true;
        break;
      case "--streams":
        options.streams = parseCount(flag, value(), 1);
        break;
      case "--chunks":
        options.chunks = parseCount(flag, value(), 2);
        break;
      case "--chunk-interval":
        options.chunkIntervalMs = parseCount(flag, value(), 0);
        break;
      case "--cancels":
        options.cancels = parseCount(flag, value(), 1);
        break;
      case "--usage":
        options.usage = true;
        break;
      case "--rows":
        options.rows = parseCount(flag, value(), 1);
        break;
      case "--iterations":
        iterations = parseCount(flag, value(), 1);
        break;
      case "--coherence":
        options.coherence = true;
        break;
      case "--flood":
        options.flood = true;
        break;
      case "--flood-tokens":
        options.floodTokens = parseCount(flag, value(), 1);
        break;
      case "--profile": {
        const route = inline ?? (argv[i + 1] === "ping" || argv[i + 1] === "config" ? argv[++i] : "config");
        if (route !== "ping" && route !== "config") throw new Error(`--profile takes ping or config (got ${route})`);
        options.profile = route;
        break;
      }
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  // provider_credentials has 17 columns; Postgres allows 65,535 parameters per statement.
  if (options.batch > 3000) throw new Error("--batch must be at most 3000");
  if (options.compare && options.profile) throw new Error("--compare and --profile do not go together");
  if (options.gateway && (options.compare || options.profile)) throw new Error("--gateway goes with neither --compare nor --profile");
  if (options.usage && (options.gateway || options.compare || options.profile))
    throw new Error("--usage goes with neither --gateway, --compare nor --profile");
  const modes = [options.gateway, options.usage, options.coherence, options.flood, options.compare, options.profile !== null];
  if ((options.coherence || options.flood) && modes.filter(Boolean).length > 1)
    throw new Error("--coherence and --flood go with no other mode (--gateway, --usage, --compare, --profile, each other)");
  options.users = users ?? (options.coherence ? 300 : options.users);
  options.iterations = iterations ?? (options.coherence ? 100 : options.iterations);
  if (options.coherence && options.users < options.iterations + 20)
    throw new Error(`--coherence needs --users ≥ --iterations + 20 (a fresh token per revocation, and ten members for the shares)`);
  return options;
}
