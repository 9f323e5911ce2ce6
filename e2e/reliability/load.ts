/**
 * Open-loop load for fault tests: one GET every 1000/rate ms, spread over the targets in turn,
 * whether earlier requests have answered or not (as independent agents would), each timed from
 * send to the end of its body. A request unanswered after `giveUpMs` is recorded as status 0.
 * The requests go out from a worker thread (./load-worker.mjs).
 */
import path from "node:path";
import { Worker } from "node:worker_threads";

export type Sample = {
  /** Index into `urls`. */
  target: number;
  startedAt: number;
  endedAt: number;
  status: number;
  retryAfter: string | undefined;
  body: string;
};

export type LoadRun = {
  /** Stops sending; resolves with every sample once the last request has ended or given up. */
  stop: () => Promise<Sample[]>;
};

/**
 * Starts sending `rate` requests per second to `urls` (round robin); each target cycles through
 * the `headers` sets (one per agent token).
 */
export function startLoad(options: { urls: string[]; headers: Record<string, string>[]; rate: number; giveUpMs: number }): LoadRun {
  const worker = new Worker(path.join(__dirname, "load-worker.mjs"), { workerData: options });
  let stopping: Promise<Sample[]> | undefined;
  return {
    stop: () =>
      (stopping ??= new Promise<Sample[]>((resolve, reject) => {
        worker.once("message", (samples: Sample[]) => {
          resolve(samples);
          void worker.terminate();
        });
        worker.once("error", reject);
        worker.postMessage("stop");
      })),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Latency figures of a set of samples (ms), and how many got each status. */
export function summarize(samples: Sample[]) {
  const ms = samples.map((s) => s.endedAt - s.startedAt).sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  for (const s of samples) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
  return {
    count: ms.length,
    byStatus,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? 0,
    over2s: ms.filter((v) => v > 2000).length,
    over10s: ms.filter((v) => v > 10_000).length,
  };
}
