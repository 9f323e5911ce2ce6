/**
 * A private PostgreSQL cluster for fault tests: `initdb` in a temporary directory, started on a
 * free port, stopped and started again at will. Never the shared server on 5432. As root the
 * binaries run as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../free-port";

const run = promisify(execFile);

/** PG_BIN, else Debian's newest /usr/lib/postgresql/<version>/bin; undefined when there is none. */
function findPgBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin", "initdb"))) : [];
  const newest = versions.sort((x, y) => Number(y) - Number(x))[0];
  return newest ? path.join(base, newest, "bin") : undefined;
}

const PG_BIN = findPgBin();
/** Whether PostgreSQL's server binaries (initdb, pg_ctl) are installed here. */
export const hasPostgresBinaries = PG_BIN !== undefined;
const isRoot = process.getuid?.() === 0;

function pgCommand(binary: string, args: string[]): [string, string[]] {
  if (!PG_BIN) throw new Error("PostgreSQL server binaries not found: install postgresql or set PG_BIN");
  const full = path.join(PG_BIN, binary);
  return isRoot ? ["runuser", ["-u", "postgres", "--", full, ...args]] : [full, args];
}

async function pg(binary: string, args: string[], timeoutMs = 60_000): Promise<void> {
  const [command, argv] = pgCommand(binary, args);
  await run(command, argv, { timeout: timeoutMs, cwd: os.tmpdir() });
}

export type PgCluster = {
  url: string;
  port: number;
  /** The data directory (postmaster.pid names the server's process). */
  dataDir: string;
  /** `pg_ctl stop -m fast`: a clean shutdown (acknowledged commits are on disk), clients cut. */
  stop: () => Promise<void>;
  /** Starts it again and waits until it accepts connections. */
  start: () => Promise<void>;
  /** Stops it (immediately) and deletes its directory. Safe to call twice, and after a failure. */
  destroy: () => Promise<void>;
};

/** Creates and starts a throwaway cluster (about 2 s). */
export async function startPrivateCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "byok-pg-"));
  if (isRoot) {
    const pwd = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((line) => line.startsWith("postgres:"));
    const [, , uid, gid] = pwd?.split(":") ?? [];
    if (!uid || !gid) throw new Error("running as root but there is no postgres user to run PostgreSQL as");
    chownSync(dir, Number(uid), Number(gid));
  }
  const data = path.join(dir, "data");
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const pgctl = (...args: string[]) => pg("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), ...args]);
  let destroyed = false;

  await pg("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--no-sync"]);
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir: data,
    stop: () => pgctl("-w", "-m", "fast", "stop"),
    start: () => pgctl("-w", "-o", options, "start"),
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await pgctl("-m", "immediate", "stop").catch(() => {}); // already stopped, or never started
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}
