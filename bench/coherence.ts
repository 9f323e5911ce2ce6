/**
 * `npm run bench -- --coherence` (PostgreSQL): how soon a write made elsewhere reaches another
 * instance's resolution cache (lib/resolution). Two `next start` servers, A and B, on one bench
 * database, each with its LISTEN feed. Per iteration a fresh seeded token is warmed on one of them
 * (B, then A, alternately), revoked by an UPDATE on the bench's own connection — a third "instance":
 * neither server wrote, so only the trigger's NOTIFY at commit can tell them — and that server is
 * polled, one request at a time, until it answers 401. Then up to ten narrowed shares: a member's
 * default is an org credential shared with all; `share_mode = 'selected'` (announces '*') until the
 * member's config is refused (404, no usable default).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import type { Sql } from "postgres";
import { agentTokens, memberships, organizations, providerCredentials, userDefaults } from "@/db/schema";
import { sealSecrets } from "@/lib/crypto/envelope";
import { generateMasterKeySpec, parseMasterKeys, type MasterKeyring } from "@/lib/crypto/master-keys";
import { maskSecret } from "@/lib/providers/mask";
import { hashToken } from "@/lib/tokens/token-format";
import type { BenchOptions } from "./args";
import { cleanupMark, cleanupTo, onCleanup } from "./cleanup";
import { preparePostgres, settle, type SeedDb } from "./database";
import { pad, writeResults, type Machine, type Target } from "./report";
import { seedUsers } from "./seed";
import { startBenchServer, type RunningServer } from "./server";

const NARROWED = 10;
const POLL_TIMEOUT_MS = 5_000;
/**
 * Between the two warm-up requests. A served config queues the instance's activity entry, written
 * through drizzle 1 s later (lib/audit/config-fetches.ts): a local write, after which the instance's
 * next resolution first waits for its own feed to catch up — a barrier that would also deliver the
 * revocation. The second request pays that wait, so the poll meets only the notification itself.
 */
const WARM_GAP_MS = 1_200;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Instance = { name: "A" | "B"; server: RunningServer };
export type Sample = { instance: "A" | "B"; refusedMs: number | null; stale: number; polls: number; status: number | null; error?: string };
export type Summary = {
  writes: number;
  refused: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** 200 answers to requests sent after the writer's commit. */
  staleAnswers: number;
  polls: number;
};

/** Nearest rank; null without samples. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarise(samples: Sample[]): Summary {
  const times = samples.flatMap((s) => (s.refusedMs === null ? [] : [s.refusedMs]));
  const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return {
    writes: samples.length,
    refused: times.length,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    maxMs: round(percentile(times, 100)),
    staleAnswers: samples.reduce((n, s) => n + s.stale, 0),
    polls: samples.reduce((n, s) => n + s.polls, 0),
  };
}

/** Waits until `count` servers listen on `dbName` (their feed connection idle after its LISTEN). */
export async function waitForFeeds(observer: Sql, dbName: string, count: number, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await observer<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = ${dbName} and application_name = 'byok-invalidation' and state = 'idle' and query <> ''`;
    if ((row?.n ?? 0) >= count) return sleep(200); // onUp runs once the client has read the answer
    if (Date.now() > until) throw new Error(`${count} invalidation feed(s) expected on ${dbName}, ${row?.n ?? 0} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function config(server: RunningServer, token: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${server.url}/api/v1/config`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text() };
}

/** Two requests, both 200 (the first fills the cache, the second is answered from it). */
async function warm(instance: Instance, token: string, apiKey?: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    if (i > 0) await sleep(WARM_GAP_MS);
    const { status, body } = await config(instance.server, token);
    if (status !== 200) throw new Error(`warming on ${instance.name}: GET /api/v1/config answered ${status}: ${body.slice(0, 300)}`);
    if (apiKey && (JSON.parse(body) as { apiKey?: string }).apiKey !== apiKey)
      throw new Error(`warming on ${instance.name}: the member's config does not carry the org credential's key`);
  }
}

/** Back-to-back requests from `t0` until one is refused (`expected`); 200s count as stale. */
async function poll(instance: Instance, token: string, t0: number, expected: number): Promise<Sample> {
  let stale = 0;
  let polls = 0;
  while (performance.now() - t0 < POLL_TIMEOUT_MS) {
    const res = await fetch(`${instance.server.url}/api/v1/config`, { headers: { authorization: `Bearer ${token}` } });
    const at = performance.now();
    const body = await res.text();
    polls++;
    if (res.status === 200) {
      stale++;
    } else {
      const error = res.status === expected ? undefined : `HTTP ${res.status} (expected ${expected}): ${body.slice(0, 200)}`;
      return { instance: instance.name, refusedMs: error ? null : at - t0, stale, polls, status: res.status, error };
    }
  }
  return {
    instance: instance.name,
    refusedMs: null,
    stale,
    polls,
    status: null,
    error: `still served ${POLL_TIMEOUT_MS} ms after the commit`,
  };
}

/** Per member: an organization, its OpenAI credential shared with all members, the member's default set to it. */
async function seedShares(db: SeedDb, keyring: MasterKeyring, memberTokens: string[]) {
  const owners = await db
    .select({ userId: agentTokens.ownerUserId, hash: agentTokens.tokenHash })
    .from(agentTokens)
    .where(inArray(agentTokens.tokenHash, memberTokens.map(hashToken)));
  const userOf = new Map(owners.map((o) => [o.hash, o.userId!]));
  const shares: { token: string; credentialId: string; apiKey: string }[] = [];
  for (const token of memberTokens) {
    const userId = userOf.get(hashToken(token))!;
    const orgId = randomUUID();
    const credentialId = randomUUID();
    const apiKey = `sk-bench-org-${randomBytes(24).toString("base64url")}`;
    await db.insert(organizations).values({ id: orgId, name: `Bench Org ${shares.length}`, slug: `bench-${orgId.slice(0, 8)}` });
    await db.insert(memberships).values({ orgId, userId, role: "member" });
    await db.insert(providerCredentials).values({
      id: credentialId,
      ownerOrgId: orgId,
      provider: "openai",
      model: "gpt-4o-mini",
      apiHost: "https://api.openai.com/v1",
      delivery: "key",
      shareMode: "all",
      ...sealSecrets({ apiKey }, { credentialId, owner: { type: "org", id: orgId }, provider: "openai" }, keyring),
      secretHints: { apiKey: maskSecret(apiKey) },
      status: "valid",
      statusCode: "valid",
      validatedAt: new Date(),
    });
    await db.update(userDefaults).set({ credentialId }).where(eq(userDefaults.userId, userId));
    shares.push({ token, credentialId, apiKey });
  }
  return shares;
}

const ms = (n: number | null) => (n === null ? "–" : n.toFixed(1));

function print(r: CoherenceResult): void {
  console.log(
    `\nCoherence results: ${r.users.toLocaleString("en-US")} users on ${r.db}, two servers; time from the writer's commit to the first refusal`,
  );
  console.log(
    `  ${"".padEnd(22)}${pad("writes", 7)}${pad("refused", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("max ms", 8)}${pad("stale", 7)}${pad("polls", 7)}`,
  );
  const line = (label: string, s: Summary) =>
    console.log(
      `  ${label.padEnd(22)}${pad(s.writes, 7)}${pad(s.refused, 9)}${pad(ms(s.p50Ms), 8)}${pad(ms(s.p99Ms), 8)}${pad(ms(s.maxMs), 8)}${pad(s.staleAnswers, 7)}${pad(s.polls, 7)}`,
    );
  line("revoke, polled on B", r.revocation.B);
  line("revoke, polled on A", r.revocation.A);
  line("revoke, both", r.revocation.all);
  if (r.narrowed) line("narrow a share, both", r.narrowed.all);
  const stale = r.revocation.all.staleAnswers + (r.narrowed?.all.staleAnswers ?? 0);
  console.log(`Stale answers (200 to a request sent after the writer's commit): ${stale}`);
  console.log("Targets (goals, not tests):");
  for (const t of r.targets) console.log(`  [${t.met ? "met" : "NOT met"}] ${t.goal}: ${t.value}`);
}

export type CoherenceResult = {
  startedAt: string;
  db: string;
  users: number;
  revocation: { all: Summary; A: Summary; B: Summary; samples: Sample[] };
  narrowed: { all: Summary; samples: Sample[] } | null;
  targets: Target[];
  notes: string[];
};

/** The coherence run; returns the process exit code. PostgreSQL only (run.ts refuses PGlite). */
export async function runCoherence(root: string, options: BenchOptions, machine: Machine, stamp: string): Promise<number> {
  const adminUrl = process.env.DATABASE_URL?.trim();
  if (!adminUrl) throw new Error("--coherence needs PostgreSQL (DATABASE_URL)");
  const mark = cleanupMark();
  try {
    const workDir = mkdtempSync(path.join(os.tmpdir(), "byok-bench-"));
    onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
    const database = await preparePostgres(adminUrl, options.keepDb);
    const benchUrl = database.serverEnv.DATABASE_URL!;
    console.log(`\n== coherence · ${options.users.toLocaleString("en-US")} users · ${database.version} · ${database.description}`);

    const keySpec = generateMasterKeySpec("v1");
    const keyring = parseMasterKeys(keySpec);
    const connection = await database.open();
    let seed: Awaited<ReturnType<typeof seedUsers>>;
    let shares: Awaited<ReturnType<typeof seedShares>>;
    const checked = new Set<string>();
    try {
      seed = await seedUsers(connection.db, { users: options.users, batch: options.batch, keyring, concurrency: 2 });
      for (const sample of seed.samples) checked.add(sample.token);
      const fresh = seed.tokens.filter((t) => !checked.has(t));
      const members = Math.max(0, Math.min(NARROWED, fresh.length - options.iterations));
      shares = await seedShares(connection.db, keyring, members > 0 ? fresh.slice(-members) : []);
      await settle(connection.db);
    } finally {
      await connection.close();
    }
    const fresh = seed.tokens.filter((t) => !checked.has(t)).slice(0, options.iterations);

    const { default: postgres } = await import("postgres");
    const writer = postgres(benchUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
    onCleanup("close the writer connection", () => writer.end({ timeout: 5 }));
    const ids = new Map(
      (await writer<{ id: string; token_hash: string }[]>`select id, token_hash from agent_tokens`).map((r) => [r.token_hash, r.id]),
    );

    const authSecret = randomBytes(32).toString("base64");
    const start = (name: "A" | "B") =>
      startBenchServer({
        root,
        workDir,
        keepAs: path.join("bench", "results", `${stamp}-postgres-coherence-${name.toLowerCase()}-server.log`),
        databaseEnv: database.serverEnv,
        keySpec,
        authSecret,
      });
    const a: Instance = { name: "A", server: await start("A") };
    const b: Instance = { name: "B", server: await start("B") };
    console.log(`Servers: A ${a.server.url} (pid ${a.server.pid}), B ${b.server.url} (pid ${b.server.pid}), one build`);
    try {
      // A served config on each: checks the keyring and starts each server's feed (on first use).
      for (const instance of [a, b]) {
        const { status, body } = await config(instance.server, seed.samples[0]!.token);
        if (status !== 200) throw new Error(`GET /api/v1/config on ${instance.name} answered ${status}: ${body.slice(0, 300)}`);
      }
      await waitForFeeds(writer, new URL(benchUrl).pathname.slice(1), 2);

      console.log(`  ${fresh.length} revocations, each polled on the instance that had it cached (B, A, B, …)…`);
      const revocations: Sample[] = [];
      for (const [i, token] of fresh.entries()) {
        const instance = i % 2 === 0 ? b : a;
        await warm(instance, token);
        await writer`update agent_tokens set revoked_at = now() where id = ${ids.get(hashToken(token))!}`;
        const t0 = performance.now();
        revocations.push(await poll(instance, token, t0, 401));
        if ((i + 1) % 25 === 0) console.log(`  ${i + 1}/${fresh.length}`);
      }

      let narrowed: CoherenceResult["narrowed"] = null;
      if (shares.length > 0) {
        console.log(`  ${shares.length} shares narrowed to 'selected' (announces '*'), polled until the member's config is refused…`);
        const samples: Sample[] = [];
        for (const [i, share] of shares.entries()) {
          const instance = i % 2 === 0 ? b : a;
          await warm(instance, share.token, share.apiKey);
          await writer`update provider_credentials set share_mode = 'selected' where id = ${share.credentialId}`;
          const t0 = performance.now();
          samples.push(await poll(instance, share.token, t0, 404));
        }
        narrowed = { all: summarise(samples), samples };
      }

      const all = summarise(revocations);
      const result: CoherenceResult = {
        startedAt: new Date().toISOString(),
        db: database.version,
        users: options.users,
        revocation: {
          all,
          A: summarise(revocations.filter((s) => s.instance === "A")),
          B: summarise(revocations.filter((s) => s.instance === "B")),
          samples: revocations,
        },
        narrowed,
        targets: [
          {
            name: "refusal p99",
            goal: "revocation refused elsewhere, p99 ≤ 50 ms",
            value: `${ms(all.p99Ms)} ms`,
            met: all.p99Ms !== null && all.p99Ms <= 50,
          },
          {
            name: "refusal max",
            goal: "revocation refused elsewhere, max ≤ 250 ms",
            value: `${ms(all.maxMs)} ms`,
            met: all.maxMs !== null && all.maxMs <= 250,
          },
        ],
        notes: [],
      };
      const failures = [...revocations, ...(narrowed?.samples ?? [])].filter((s) => s.error);
      if (failures.length) result.notes.push(`${failures.length} write(s) not refused as expected; first: ${failures[0]!.error}`);
      print(result);
      for (const note of result.notes) console.log(`Note: ${note}`);
      console.log(`Written: ${writeResults(root, stamp, "postgres", "coherence", { machine, options, result })}`);
      for (const f of failures) console.error(`FAILED: ${f.instance}: ${f.error}`);
      return failures.length ? 1 : 0;
    } catch (error) {
      for (const instance of [a, b]) console.error(`server ${instance.name} log (last lines):\n${instance.server.logTail()}`);
      throw error;
    }
  } finally {
    await cleanupTo(mark);
  }
}
