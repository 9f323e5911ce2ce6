/**
 * Stream phases of `npm run bench -- --gateway`: many concurrent SSE streams, each chunk's delay
 * from the emulator's send time (in the chunk) to its receipt here; the server's resident memory
 * sampled around them; and streams cancelled mid-way, matched to the upstream responses the
 * emulator saw closed early (by the credential each one carried).
 */
import { readFileSync } from "node:fs";
import { sseEvents } from "@/e2e/emulator/streaming/client";
import { preciseNow } from "@/e2e/emulator/streaming/plan";
import { SENT_AT } from "@/e2e/emulator/streaming/sse";
import type { ConnectionReport } from "@/e2e/emulator/types";

/** Where stream i goes: full URL and Authorization. */
export type StreamTarget = (i: number) => { url: string; authorization: string; key: string };

export type Distribution = { count: number; p50: number; p90: number; p99: number; max: number };

export type StreamStats = {
  streams: number;
  completed: number;
  failed: number;
  firstFailure: string | null;
  chunkDelayMs: Distribution;
  wallMs: number;
};

export type MemoryStats = { beforeMiB: number; peakMiB: number; afterMiB: number; growthMiB: number };

export type CancelStats = { cancelled: number; closedUpstream: number; closedWithin1s: number; closeDelayMs: Distribution | null };

/** Nearest-rank percentiles of a list of numbers (sorted here). */
export function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { count: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? Number.NaN) };
}

/** VmRSS of a process in MiB (Linux), null elsewhere. */
export function rssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const body = (model: string) =>
  JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });

const SENT_FIELD = `"${SENT_AT}":`;

type OneStream = { delays: number[]; ok: boolean; failure?: string };

async function oneStream(
  target: ReturnType<StreamTarget>,
  model: string,
  cancelAfter?: { chunks: number; onAbort: () => void },
): Promise<OneStream> {
  const delays: number[] = [];
  const controller = new AbortController();
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers: { authorization: target.authorization, "content-type": "application/json" },
      body: body(model),
      signal: controller.signal,
    });
    if (res.status !== 200 || !res.body) return { delays, ok: false, failure: `HTTP ${res.status} ${(await res.text()).slice(0, 300)}` };
    let content = 0;
    for await (const event of sseEvents(res.body)) {
      if (event.data === "[DONE]") break;
      // The send time without parsing the whole chunk (the bench's own work adds to the delay).
      const at = event.data.lastIndexOf(SENT_FIELD);
      if (at >= 0) delays.push(event.receivedAt - Number.parseFloat(event.data.slice(at + SENT_FIELD.length)));
      if (cancelAfter && ++content === cancelAfter.chunks) {
        cancelAfter.onAbort();
        controller.abort();
        return { delays, ok: true };
      }
    }
    return { delays, ok: true };
  } catch (error) {
    if (controller.signal.aborted) return { delays, ok: true };
    return { delays, ok: false, failure: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `count` streams at once, each of the plan's chunks; per-chunk delays of all of them. Starts are
 * spread over one chunk interval, as independent agents' would be: started in the same
 * millisecond, every stream's chunks would leave the emulator together, in bursts of `count`.
 */
export async function concurrentStreams(
  target: StreamTarget,
  count: number,
  plan: { model: string; intervalMs: number },
): Promise<StreamStats> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * plan.intervalMs) / count));
      return oneStream(target(i), plan.model);
    }),
  );
  const failed = results.filter((r) => !r.ok);
  return {
    streams: count,
    completed: results.length - failed.length,
    failed: failed.length,
    firstFailure: failed[0]?.failure ?? null,
    chunkDelayMs: distribution(results.flatMap((r) => r.delays)),
    wallMs: Math.round(performance.now() - started),
  };
}

/** Samples the server's RSS every 100 ms while `work` runs, and once more 1 s after it. */
export async function withMemory<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; memory: MemoryStats | null }> {
  const before = rssMiB(pid);
  let peak = before ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid) ?? 0);
  }, 100);
  try {
    const value = await work();
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssMiB(pid);
    peak = Math.max(peak, after ?? 0);
    if (before === null || after === null) return { value, memory: null };
    const round = (n: number) => Math.round(n * 10) / 10;
    return { value, memory: { beforeMiB: round(before), peakMiB: round(peak), afterMiB: round(after), growthMiB: round(peak - before) } };
  } finally {
    clearInterval(timer);
  }
}

/**
 * `count` streams, each aborted after half its chunks; then, 1.5 s after the last abort, how many
 * of them the emulator saw closed before completion, and how long after the abort.
 */
export async function cancelledStreams(
  target: StreamTarget,
  count: number,
  plan: { model: string; chunks: number },
  emulatorUrl: string,
): Promise<CancelStats> {
  await fetch(`${emulatorUrl}/__emulator/connections`, { method: "DELETE" });
  const abortedAt = new Map<string, number>();
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const chosen = target(i);
      return oneStream(chosen, plan.model, { chunks: Math.floor(plan.chunks / 2), onAbort: () => abortedAt.set(chosen.key, preciseNow()) });
    }),
  );
  await new Promise((r) => setTimeout(r, 1500));
  const report = (await (await fetch(`${emulatorUrl}/__emulator/connections`)).json()) as ConnectionReport;
  const delays = report.closedEarly
    .filter((entry) => entry.credential !== undefined && abortedAt.has(entry.credential))
    .map((entry) => entry.closedAt - abortedAt.get(entry.credential!)!);
  return {
    cancelled: abortedAt.size,
    closedUpstream: delays.length,
    closedWithin1s: delays.filter((ms) => ms <= 1000).length,
    closeDelayMs: delays.length ? distribution(delays) : null,
  };
}
