/** `--compare`: the same figures at 1,000 and at 100,000 users, and how far apart they are. */
import type { RunResult } from "./report";

/**
 * The goal (issue 13) is on the ratio only: config against ping at 1,000 and at 100,000 users
 * within 10 % of each other. The other lines are for reading it (withinTarget null): both routes
 * slow down with a bigger heap, ping included, which never touches the cache.
 */
export type ComparisonLine = { metric: string; small: number; large: number; changePct: number; withinTarget: boolean | null };

const TOLERANCE_PCT = 10;

export function printComparison(small: RunResult, large: RunResult): ComparisonLine[] {
  const lines: ComparisonLine[] = [];
  const add = (metric: string, a: number | undefined, b: number | undefined, reference = false) => {
    if (a === undefined || b === undefined || a === 0) return;
    const changePct = ((b - a) / a) * 100;
    lines.push({ metric, small: a, large: b, changePct, withinTarget: reference ? null : Math.abs(changePct) <= TOLERANCE_PCT });
  };
  const closedA = small.closedLoop;
  const closedB = large.closedLoop;
  add("config req/s (closed loop)", closedA.config?.reqPerSec, closedB.config?.reqPerSec, true);
  add("ping req/s (closed loop)", closedA.ping?.reqPerSec, closedB.ping?.reqPerSec, true);
  add("config p99 ms (rounds pooled)", small.pooledP99?.config, large.pooledP99?.config, true);
  add("ping p99 ms (rounds pooled)", small.pooledP99?.ping, large.pooledP99?.ping, true);
  add("config p99 ms (fixed rate)", small.fixedRate?.config.latencyMs.p99, large.fixedRate?.config.latencyMs.p99, true);
  add("config/trivial ratio", small.ratio ?? undefined, large.ratio ?? undefined);
  const n = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 2 });
  console.log(
    `\n${small.users.toLocaleString("en-US")} vs ${large.users.toLocaleString("en-US")} users (goal: the ratio within ${TOLERANCE_PCT}%):`,
  );
  for (const l of lines) {
    const sign = l.changePct >= 0 ? "+" : "";
    console.log(
      `  ${l.metric.padEnd(30)}${n(l.small).padStart(10)} → ${n(l.large).padEnd(10)} ${`${sign}${l.changePct.toFixed(1)}%`.padStart(8)}  ${l.withinTarget === null ? "" : l.withinTarget ? "[within]" : "[NOT within]"}`,
    );
  }
  return lines;
}
