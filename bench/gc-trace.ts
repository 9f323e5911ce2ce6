/**
 * `--trace-gc`: the server runs with Node's --trace-gc, and each measured phase reports the
 * collections that happened during it, read from the slice of the server's log the phase wrote.
 * What a line looks like (V8 11): `[pid:0x…]  95597 ms: Mark-Compact 755.0 (801.0) -> 220.8 (802.6)
 * MB, 27.51 / 0.20 ms  (+ 145.2 ms in 205 steps …`: the first figure after the sizes is the pause on
 * the main thread (the steps before it ran between requests, also on the main thread).
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";

export type GcSummary = {
  scavenges: number;
  scavengeMs: number;
  markCompacts: number;
  /** Main-thread time of the mark-compacts: their final pauses plus their incremental steps. */
  markCompactMs: number;
  /** The longest single pause of any collection. */
  maxPauseMs: number;
  /** Live heap after the last mark-compact of the phase, MB (null when none ran). */
  liveMb: number | null;
};

const LINE = /(Scavenge|Mark-Compact|Mark-Sweep)[^,]*?-> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms(?:\s+\(\+ ([\d.]+) ms in)?/;

export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The collections logged in `file` between byte offsets `from` and `to`. */
export function gcBetween(file: string, from: number, to: number): GcSummary {
  const summary: GcSummary = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0, maxPauseMs: 0, liveMb: null };
  if (to <= from) return summary;
  const buffer = Buffer.alloc(to - from);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  for (const line of buffer.toString("utf8").split("\n")) {
    const match = LINE.exec(line);
    if (!match) continue;
    const pause = Number(match[3]);
    summary.maxPauseMs = Math.max(summary.maxPauseMs, pause);
    if (match[1] === "Scavenge") {
      summary.scavenges++;
      summary.scavengeMs += pause;
    } else {
      summary.markCompacts++;
      summary.markCompactMs += pause + Number(match[4] ?? 0);
      summary.liveMb = Number(match[2]);
    }
  }
  return summary;
}

export function describeGc(gc: GcSummary): string {
  const ms = (v: number) => Math.round(v).toLocaleString("en-US");
  const live = gc.liveMb === null ? "" : `, live after ${Math.round(gc.liveMb)} MB`;
  return `${gc.scavenges} scavenges ${ms(gc.scavengeMs)} ms, ${gc.markCompacts} mark-compacts ${ms(gc.markCompactMs)} ms${live}, longest pause ${ms(gc.maxPauseMs)} ms`;
}
