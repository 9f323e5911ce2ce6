/**
 * `npm run bench -- --usage`: the org usage page's queries at scale. Seeds one organization (40
 * members with a personal token each, 2 org tokens, 4 org credentials of 3 models each) and N
 * gateway_usage rows (default 5,000,000) spread over the last 90 days, generated in SQL
 * (generate_series), rolls them into usage_daily with one INSERT … SELECT … GROUP BY (what the
 * gateway's batched insert maintains row by row), settles, then times what /orgs/<slug>/usage
 * runs — loadUsage over 30 and 90 days, and hasAnyUsage — for a number of iterations: p50/p95/p99.
 * No server: the bench process calls lib/usage directly on its own connection.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { hasAnyUsage, loadUsage } from "@/lib/usage/load";
import { parseRange } from "@/lib/usage/range";
import type { BenchOptions } from "./args";
import { cleanupMark, cleanupTo, onCleanup } from "./cleanup";
import { preparePglite, preparePostgres, settle, type SeedDb } from "./database";
import { type Machine, writeResults } from "./report";

const MEMBERS = 40;
const ORG_TOKENS = 2;
const CREDENTIALS: [string, string[]][] = [
  ["openai", ["gpt-4o", "gpt-4o-mini", "o3-mini"]],
  ["anthropic", ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"]],
  ["gemini", ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.0-flash"]],
  ["deepseek", ["deepseek-chat", "deepseek-reasoner", ""]],
];
const CHUNK = 500_000;

export type Timing = { iterations: number; p50: number; p95: number; p99: number; mean: number; max: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    iterations: samples.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(samples.reduce((s, n) => s + n, 0) / samples.length),
    max: round(sorted[sorted.length - 1]!),
  };
}

const uuidArray = (ids: (string | null)[]) => sql.raw(`'{${ids.map((id) => id ?? "NULL").join(",")}}'::uuid[]`);
const textArray = (values: string[]) => sql.raw(`'{${values.map((v) => `"${v}"`).join(",")}}'::text[]`);

/** The organization, its people, tokens and credentials; returns what the usage rows reference. */
async function seedOrg(db: SeedDb) {
  const orgId = randomUUID();
  const userIds = Array.from({ length: MEMBERS }, () => randomUUID());
  const personalTokens = userIds.map(() => randomUUID());
  const orgTokens = Array.from({ length: ORG_TOKENS }, () => randomUUID());
  const credentialIds = CREDENTIALS.map(() => randomUUID());
  await db.execute(sql`insert into organizations (id, name, slug) values (${orgId}, 'Bench Org', ${`bench-${orgId.slice(0, 8)}`})`);
  for (const [i, id] of userIds.entries()) {
    await db.execute(
      sql`insert into users (id, name, email) values (${id}, ${`Member ${i + 1}`}, ${`member-${i + 1}-${id.slice(0, 6)}@bench.test`})`,
    );
    await db.execute(sql`insert into memberships (org_id, user_id, role) values (${orgId}, ${id}, ${i === 0 ? "owner" : "member"})`);
    await db.execute(sql`insert into agent_tokens (id, owner_user_id, name, token_hash, last_four)
      values (${personalTokens[i]!}, ${id}, 'laptop', ${`bench-${personalTokens[i]!}`}, 'abcd')`);
  }
  for (const [i, id] of orgTokens.entries()) {
    await db.execute(sql`insert into agent_tokens (id, owner_org_id, name, token_hash, last_four)
      values (${id}, ${orgId}, ${`ci-${i + 1}`}, ${`bench-${id}`}, 'abcd')`);
  }
  for (const [i, [provider, models]] of CREDENTIALS.entries()) {
    // Never decrypted here: placeholder ciphertext, as a row the usage pages only name.
    await db.execute(sql`insert into provider_credentials (id, owner_org_id, provider, model, api_host, secret_ciphertext,
        wrapped_data_key, key_version, delivery, status, status_code)
      values (${credentialIds[i]!}, ${orgId}, ${provider}, ${models[0]!}, 'https://example.test/v1', 'x', 'x', 'v1', 'gateway', 'valid', 'valid')`);
  }
  return {
    orgId,
    tokens: [...personalTokens, ...orgTokens],
    tokenUsers: [...userIds, ...orgTokens.map(() => null)],
    credentialIds,
  };
}

/** N usage rows over the last 90 days, chunk by chunk; then the rollup in one statement. */
async function seedUsage(db: SeedDb, rows: number, org: Awaited<ReturnType<typeof seedOrg>>) {
  const nTokens = org.tokens.length;
  const nCreds = org.credentialIds.length;
  const providers = CREDENTIALS.map(([provider]) => provider);
  const models = CREDENTIALS.flatMap(([, list]) => list); // 3 per credential, row-major
  const started = performance.now();
  for (let start = 1; start <= rows; start += CHUNK) {
    const end = Math.min(rows, start + CHUNK - 1);
    await db.execute(sql`
      insert into gateway_usage (at, token_id, user_id, org_id, credential_id, provider, model, path, status,
        ttfb_ms, duration_ms, streamed, input_tokens, output_tokens)
      select now() - random() * interval '90 days',
        (${uuidArray(org.tokens)})[1 + g % ${nTokens}],
        (${uuidArray(org.tokenUsers)})[1 + g % ${nTokens}],
        ${org.orgId}::uuid,
        (${uuidArray(org.credentialIds)})[1 + (g / ${nTokens}) % ${nCreds}],
        (${textArray(providers)})[1 + (g / ${nTokens}) % ${nCreds}],
        nullif((${textArray(models)})[1 + ((g / ${nTokens}) % ${nCreds}) * 3 + (g / ${nTokens * nCreds}) % 3], ''),
        'chat/completions',
        case when random() < 0.02 then 429 else 200 end,
        80, 400, false, (random() * 2000)::int, (random() * 600)::int
      from generate_series(${start}::int, ${end}::int) g`);
    console.log(`  gateway_usage: ${end.toLocaleString("en-US")} rows (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  const usageMs = performance.now() - started;
  const rollupStarted = performance.now();
  await db.execute(sql`
    insert into usage_daily (day, token_id, credential_id, model, org_id, user_id, provider, requests, errors, input_tokens, output_tokens)
    select (at at time zone 'UTC')::date, token_id, credential_id, coalesce(model, ''), max(org_id::text)::uuid, max(user_id::text)::uuid,
      max(provider), count(*), count(*) filter (where status >= 400), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0)
    from gateway_usage group by 1, 2, 3, 4`);
  const rollupMs = performance.now() - rollupStarted;
  return { usageMs, rollupMs };
}

async function count(db: SeedDb, table: "gateway_usage" | "usage_daily"): Promise<number> {
  const result = (await db.execute(sql.raw(`select count(*)::bigint as n from ${table}`))) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: string | number }[];
  return Number(rows[0]?.n ?? 0);
}

export async function runUsage(root: string, options: BenchOptions, machine: Machine, stamp: string): Promise<number> {
  const mark = cleanupMark();
  try {
    const workDir = mkdtempSync(path.join(os.tmpdir(), "byok-bench-usage-"));
    onCleanup(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
    const adminUrl = process.env.DATABASE_URL?.trim();
    const database = adminUrl ? await preparePostgres(adminUrl, options.keepDb) : await preparePglite(workDir);
    console.log(
      `\n== usage pages · ${options.rows.toLocaleString("en-US")} gateway_usage rows · ${database.version} · ${database.description}`,
    );
    const connection = await database.open();
    onCleanup("close the bench connection", () => connection.close());
    const db = connection.db;

    const org = await seedOrg(db);
    const seeded = await seedUsage(db, options.rows, org);
    const settleStarted = performance.now();
    await settle(db);
    const settleMs = performance.now() - settleStarted;
    const usageRows = await count(db, "gateway_usage");
    const dailyRows = await count(db, "usage_daily");
    console.log(
      `Seeding: ${usageRows.toLocaleString("en-US")} gateway_usage rows in ${(seeded.usageMs / 1000).toFixed(1)} s; ` +
        `rolled into ${dailyRows.toLocaleString("en-US")} usage_daily rows in ${(seeded.rollupMs / 1000).toFixed(1)} s; vacuum/analyze ${Math.round(settleMs)} ms`,
    );

    const app = db as unknown as Database;
    const scope = { orgId: org.orgId };
    const queries: [string, () => Promise<unknown>][] = [
      [
        "org usage page, 30 days (loadUsage + hasAnyUsage)",
        () => Promise.all([loadUsage(app, scope, parseRange({ range: "30" })), hasAnyUsage(app, scope)]),
      ],
      [
        "org usage page, 90 days (loadUsage + hasAnyUsage)",
        () => Promise.all([loadUsage(app, scope, parseRange({ range: "90" })), hasAnyUsage(app, scope)]),
      ],
    ];
    const results: Record<string, Timing> = {};
    for (const [label, run] of queries) {
      for (let i = 0; i < 3; i++) await run(); // warm-up: plans, caches
      const samples: number[] = [];
      for (let i = 0; i < options.iterations; i++) {
        const started = performance.now();
        await run();
        samples.push(performance.now() - started);
      }
      results[label] = summarise(samples);
      const t = results[label];
      console.log(
        `${label}: p50 ${t.p50} ms · p95 ${t.p95} ms · p99 ${t.p99} ms · mean ${t.mean} ms · max ${t.max} ms (${t.iterations} iterations)`,
      );
    }
    const sample = await loadUsage(app, scope, parseRange({ range: "90" }));
    console.log(
      `90-day page: ${sample.totals.requests.toLocaleString("en-US")} requests, ${sample.rows.length} table rows, ${Object.values(sample.stacks).reduce((n, s) => n + s.keys.length, 0)} series`,
    );
    const worstP95 = Math.max(...Object.values(results).map((t) => t.p95));
    const goal = worstP95 <= 150;
    console.log(`Goal p95 ≤ 150 ms: ${goal ? "met" : "NOT met"} (worst p95 ${worstP95} ms)`);
    const file = writeResults(root, stamp, database.kind, `usage-${options.rows}`, {
      machine,
      options,
      result: {
        db: { kind: database.kind, version: database.version },
        rows: usageRows,
        dailyRows,
        seeding: { usageMs: Math.round(seeded.usageMs), rollupMs: Math.round(seeded.rollupMs), settleMs: Math.round(settleMs) },
        timings: results,
        goalMet: goal,
      },
    });
    console.log(`Written: ${file}`);
    return 0;
  } finally {
    await cleanupTo(mark);
  }
}
