/**
 * The production server under test: `next start` on 127.0.0.1 and a free port, in its own process
 * group (so stopping it stops everything it started), its output in a log file.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { freePort } from "@/e2e/free-port";
import { onCleanup } from "./cleanup";
import { processCpuMs } from "./cpu";

const NEXT_BIN = "node_modules/next/dist/bin/next";
/** What a production build is made of; newer files mean the build may be stale. */
const SOURCES = ["app", "lib", "db", "components", "proxy.ts", "instrumentation.ts", "next.config.mjs", "package.json"];

function newerThan(root: string, entry: string, time: number, found: string[]): void {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const child of readdirSync(full)) newerThan(root, path.join(entry, child), time, found);
  } else if (stat.mtimeMs > time && !/\.test\.tsx?$/.test(entry)) {
    found.push(entry);
  }
}

/**
 * Makes sure `.next` holds a production build: builds when BUILD_ID is missing (or when asked).
 * Returns whether it built, and source files newer than an existing build (a hint, not an error).
 */
export function ensureBuild(root: string, force: boolean): { built: boolean; newer: string[] } {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!force && existsSync(buildId)) {
    const newer: string[] = [];
    const time = statSync(buildId).mtimeMs;
    for (const entry of SOURCES) newerThan(root, entry, time, newer);
    return { built: false, newer };
  }
  console.log(force ? "Running next build (--build)…" : "No production build (.next/BUILD_ID missing): running next build first…");
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0 || !existsSync(buildId)) throw new Error("next build failed");
  return { built: true, newer: [] };
}

export type RunningServer = {
  url: string;
  pid: number;
  /** User + system CPU time of the server process so far, in ms (Linux; null elsewhere). */
  cpuMs: () => number | null;
  /** The last lines of the server's output. */
  logTail: (lines?: number) => string;
  stop: () => Promise<void>;
};

async function waitForHealth(url: string, timeoutMs: number, exited: () => boolean, logTail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`next start exited early:\n${logTail()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
      last = `HTTP ${res.status} ${await res.text()}`;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms (${last}):\n${logTail()}`);
}

/** Starts `next start` and waits until /api/health answers 200; registers its stop. */
export async function startServer(options: {
  root: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  nodeFlags?: string[];
}): Promise<RunningServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const args = [...(options.nodeFlags ?? []), NEXT_BIN, "start", "-p", String(options.port), "-H", "127.0.0.1"];
  const child = spawn(process.execPath, args, {
    cwd: options.root,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log = createWriteStream(options.logFile);
  let output = "";
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())));
  const pid = child.pid!;
  const logTail = (lines = 30) => output.split("\n").slice(-lines).join("\n");
  // Last resort if the bench process exits without its cleanup (the server has its own group).
  const killOnExit = () => {
    if (!exited) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= terminate());
  const terminate = async () => {
    process.off("exit", killOnExit);
    if (!exited) {
      // SIGTERM lets Next close and Node write a --cpu-prof profile; SIGKILL the group if it lingers.
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 10_000))]);
      if (!exited) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // already gone
        }
        await exitedPromise;
      }
    }
    await new Promise((r) => log.end(r));
  };
  onCleanup(`stop server pid ${pid}`, stop);

  await waitForHealth(url, 120_000, () => exited, logTail);
  return { url, pid, cpuMs: () => processCpuMs(pid), logTail, stop };
}

/**
 * `next start` as the bench runs it, on a free port: production, the keyring the seeding sealed
 * with, LOG_LEVEL=warn. Its output is copied to `keepAs` (relative to `root`) once it has stopped.
 * Several can run at once (instances of one deployment: give them one `authSecret`).
 */
export async function startBenchServer(options: {
  root: string;
  workDir: string;
  /** Under bench/results/, e.g. `<stamp>-postgres-coherence-a-server.log`. */
  keepAs: string;
  databaseEnv: Record<string, string>;
  keySpec: string;
  authSecret?: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const port = await freePort();
  const logFile = path.join(options.workDir, `server-${port}.log`);
  // Registered first, so it runs after the server's stop (cleanup runs newest first).
  onCleanup(`keep ${options.keepAs}`, () => {
    if (!existsSync(logFile)) return;
    mkdirSync(path.dirname(path.join(options.root, options.keepAs)), { recursive: true });
    copyFileSync(logFile, path.join(options.root, options.keepAs));
  });
  return startServer({
    root: options.root,
    port,
    logFile,
    env: {
      ...options.databaseEnv,
      NODE_ENV: "production",
      AUTH_SECRET: options.authSecret ?? randomBytes(32).toString("base64"),
      BYOK_ENCRYPTION_KEYS: options.keySpec,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      PORT: String(port),
      ...options.env,
    },
  });
}
