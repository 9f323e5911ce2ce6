/**
 * CPU time from /proc (Linux): of one process, of the local Postgres processes, and of the whole
 * machine, so a phase splits into server, load generator, database and outside work (anything else
 * running on the machine, which makes the figures noisy). null where /proc is missing.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const out = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim();
    clockTicks = Number(out) > 0 ? Number(out) : 100;
  }
  return clockTicks;
}

/** User + system CPU time of a process (all its threads) so far, in ms. */
export function processCpuMs(pid: number): number | null {
  try {
    // After the parenthesised command name: state is field 3; utime 14 and stime 15, in clock ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / ticksPerSecond() : null;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the machine (all cores) so far, in ms. */
export function systemCpuMs(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const idleAll = idle! + iowait!;
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    const scale = 1000 / ticksPerSecond();
    return { busy: busy * scale, total: (busy + idleAll) * scale };
  } catch {
    return null;
  }
}

/** Summed CPU time of every process whose command name is `name` (e.g. the local Postgres), in ms. */
export function processesCpuMs(name: string): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue; // exited meanwhile
      }
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (comm !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += Number(fields[11]) + Number(fields[12]);
    }
    return (total * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}
