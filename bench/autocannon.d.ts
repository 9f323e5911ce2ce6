// The part of autocannon 9's programmatic API the benchmark uses (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  namespace autocannon {
    type RawRequest = { method: string; path: string; headers: Record<string, string>; [key: string]: unknown };

    type Request = {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest | null;
      onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
    };

    type Options = {
      url: string;
      connections?: number;
      duration?: number;
      /** Requests in all (split over the connections); `duration` is then ignored. */
      amount?: number;
      timeout?: number;
      pipelining?: number;
      overallRate?: number;
      connectionRate?: number;
      ignoreCoordinatedOmission?: boolean;
      skipAggregateResult?: boolean;
      headers?: Record<string, string>;
      requests?: Request[];
      title?: string;
    };

    type Histogram = {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p2_5: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
      p99_99: number;
      p99_999: number;
    };

    type Result = {
      title?: string;
      url: string;
      duration: number;
      start: Date;
      finish: Date;
      connections: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      "2xx": number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram & { totalCount: number };
      requests: Histogram & { sent: number };
      throughput: Histogram;
    };

    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void;
    }

    function aggregateResult(results: Result[], opts: Pick<Options, "url" | "connections" | "title">): Result;
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;

  export = autocannon;
}
