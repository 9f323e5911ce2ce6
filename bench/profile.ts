/**
 * `--profile`: reads the V8 CPU profile(s) `node --cpu-prof` wrote for the server and says where
 * its CPU time went: by package (Next, postgres.js, drizzle, the app bundle, Node internals, GC),
 * by function (self time), and the time spent with a given layer anywhere on the stack (inclusive),
 * per request served. Idle time is excluded; server start-up is included (small next to the load).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  files: string[];
  /** CPU time in the profile, idle excluded, ms. */
  busyMs: number;
  byCategory: { category: string; ms: number; pct: number }[];
  /** Time with the layer anywhere on the stack (a sample can count for several layers). */
  onStack: { layer: string; ms: number; pct: number }[];
  topFunctions: { fn: string; where: string; category: string; ms: number; pct: number }[];
};

const CATEGORIES: [RegExp, string][] = [
  [/node_modules\/postgres\//, "postgres.js"],
  [/node_modules\/drizzle-orm\//, "drizzle-orm"],
  [/node_modules\/@electric-sql\/pglite\//, "pglite"],
  [/node_modules\/rate-limiter-flexible\//, "rate-limiter-flexible"],
  [/node_modules\/next\/dist\/compiled\/(react|react-dom|react-server-dom)/, "react (in next)"],
  [/node_modules\/next\//, "next"],
  [/\.next\/server\//, "app bundle (.next/server)"],
  [/node_modules\//, "other packages"],
  [/^node:/, "node internals"],
];

function categorise(frame: CallFrame): string {
  if (!frame.url) {
    if (frame.functionName === "(garbage collector)") return "garbage collector";
    if (frame.functionName === "(program)") return "(program: V8/native)";
    if (frame.functionName === "(idle)") return "(idle)";
    return "native";
  }
  for (const [pattern, name] of CATEGORIES) if (pattern.test(frame.url)) return name;
  return "other";
}

/** Layers counted inclusively: a frame of theirs anywhere on the sampled stack. */
const LAYERS: [string, (frame: CallFrame) => boolean][] = [
  ["app bundle (.next/server: route code)", (f) => /\.next\/server\//.test(f.url)],
  ["postgres.js", (f) => /node_modules\/postgres\//.test(f.url)],
  ["drizzle-orm", (f) => /node_modules\/drizzle-orm\//.test(f.url)],
  ["pglite", (f) => /node_modules\/@electric-sql\/pglite\//.test(f.url)],
  ["rate-limiter-flexible", (f) => /node_modules\/rate-limiter-flexible\//.test(f.url)],
  ["node:crypto (AES-GCM, SHA-256)", (f) => f.url.startsWith("node:internal/crypto")],
  ["async_hooks (AsyncLocalStorage promise hooks)", (f) => /^node:(internal\/)?async_hooks/.test(f.url)],
  ["JSON.parse / JSON.stringify", (f) => !f.url && (f.functionName === "parse" || f.functionName === "stringify")],
];

function shortWhere(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, "");
  const inModules = url.lastIndexOf("node_modules/");
  const shown = inModules >= 0 ? url.slice(inModules + "node_modules/".length) : url.replace(/^.*\/\.next\//, ".next/");
  return shown ? `${shown}:${frame.lineNumber + 1}` : "";
}

/** Summarises every .cpuprofile in `dir` (Next may run more than one process); null when none. */
export function summariseProfiles(dir: string, top = 30): ProfileSummary | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) return null;
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, { fn: string; where: string; category: string; ms: number }>();
  const onStack = new Map<string, number>();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parents = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
    // The layers on each node's stack, from its parents' (memoised: stacks share prefixes).
    const layersOf = new Map<number, Set<string>>();
    const layers = (id: number): Set<string> => {
      const known = layersOf.get(id);
      if (known) return known;
      const parent = parents.get(id);
      const set = new Set(parent === undefined ? [] : layers(parent));
      const frame = nodes.get(id)?.callFrame;
      if (frame) for (const [name, test] of LAYERS) if (test(frame)) set.add(name);
      layersOf.set(id, set);
      return set;
    };
    profile.samples.forEach((id, i) => {
      const node = nodes.get(id);
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      if (!node || ms <= 0) return;
      const category = categorise(node.callFrame);
      if (category === "(idle)") return;
      busy += ms;
      for (const layer of layers(id)) onStack.set(layer, (onStack.get(layer) ?? 0) + ms);
      byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
      const where = shortWhere(node.callFrame);
      const key = `${node.callFrame.functionName}@${where}`;
      const entry = byFunction.get(key) ?? { fn: node.callFrame.functionName || "(anonymous)", where, category, ms: 0 };
      entry.ms += ms;
      byFunction.set(key, entry);
    });
  }
  const pct = (ms: number) => Math.round((ms / busy) * 1000) / 10;
  return {
    files,
    busyMs: Math.round(busy),
    byCategory: [...byCategory.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([category, ms]) => ({ category, ms: Math.round(ms), pct: pct(ms) })),
    onStack: [...onStack.entries()].sort((a, b) => b[1] - a[1]).map(([layer, ms]) => ({ layer, ms: Math.round(ms), pct: pct(ms) })),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: Math.round(f.ms), pct: pct(f.ms) })),
  };
}

/** Prints the summary; `requests` = responses the server sent while profiled (for per-request figures). */
export function printProfile(summary: ProfileSummary, requests: number): void {
  const perRequest = (ms: number) => `${((ms / Math.max(1, requests)) * 1000).toFixed(0).padStart(6)} µs/req`;
  console.log(
    `\nServer CPU profile (${summary.files.length} file(s), ${summary.busyMs} ms busy, start-up included; ${requests} requests served):`,
  );
  console.log(`  total ${perRequest(summary.busyMs)}`);
  console.log("  by package (self time):");
  for (const c of summary.byCategory)
    console.log(`    ${c.category.padEnd(30)}${String(c.ms).padStart(8)} ms ${String(c.pct).padStart(6)}% ${perRequest(c.ms)}`);
  console.log("  with the layer anywhere on the stack (inclusive):");
  for (const l of summary.onStack)
    console.log(`    ${l.layer.padEnd(46)}${String(l.ms).padStart(8)} ms ${String(l.pct).padStart(6)}% ${perRequest(l.ms)}`);
  console.log("  top functions (self time):");
  for (const f of summary.topFunctions) {
    console.log(`    ${String(f.pct).padStart(5)}%  ${f.fn.slice(0, 40).padEnd(40)} ${f.category.padEnd(24)} ${f.where.slice(0, 90)}`);
  }
}
