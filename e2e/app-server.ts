/**
 * Production servers for specs that need their own configuration or several instances: `next
 * start` on a free port, in its own process group (stopping it stops everything it started), with
 * a fresh data directory (PGlite unless DATABASE_URL is given, generated secrets unless given), its
 * output kept in memory and in e2e/.artifacts/<name>.log.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

const root = path.resolve(__dirname, "..");
const artifacts = path.join(root, "e2e", ".artifacts");

/** Fixed secrets for instances that must share a database (and decrypt each other's rows). */
export const TEST_SECRETS = {
  AUTH_SECRET: "e2e-shared-secret-long-enough-for-auth-js",
  BYOK_ENCRYPTION_KEYS: `v1:${Buffer.alloc(32, 11).toString("base64")}`,
};

export type AppServer = {
  name: string;
  url: string;
  /** Everything the server printed so far. */
  output: () => string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** Sends a signal to the server's process group (e.g. SIGUSR2 with --heapsnapshot-signal). */
  signal: (signal: NodeJS.Signals) => void;
  stop: () => Promise<void>;
};

/**
 * Spawns `next start` without waiting for it: for start-up checks that expect it to exit. The env
 * is minimal (PATH, production) plus `env` (where `{url}` stands for the server's own URL, e.g. for
 * APP_URL); the data directory is fresh unless given.
 */
export async function spawnAppServer(name: string, env: Record<string, string>): Promise<AppServer> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npx next build` first.");
  mkdirSync(artifacts, { recursive: true });
  const port = await freePort();
  const dataDir = env.BYOK_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), `byok-${name}-`));
  // Node closes idle keep-alive sockets after 5 s; a test's request context that reuses one just as
  // it closes gets ECONNRESET. Tests idle longer than that between requests, so the server waits 70 s.
  const args = ["start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "70000"];
  const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: os.tmpdir(),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      BYOK_DATA_DIR: dataDir,
      ALLOW_PRIVATE_API_HOSTS: "127.0.0.1,localhost",
      REVALIDATE_INTERVAL_HOURS: "0",
      PORT: String(port),
      // A value may name the server's own URL before the port is known: APP_URL: "{url}".
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll("{url}", `http://127.0.0.1:${port}`)])),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const file = createWriteStream(path.join(artifacts, `${name}.log`));
  let text = "";
  const keep = (chunk: Buffer) => {
    file.write(chunk);
    text += chunk.toString("utf8");
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let done = false;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => ((done = true), resolve(code))));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (!done) {
        signal("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (!done) signal("SIGKILL");
        await exited;
      }
      await new Promise((r) => file.end(r));
      if (!env.BYOK_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    })());
  return { name, url: `http://127.0.0.1:${port}`, output: () => text, exited, signal, stop };
}

/** Starts a server and waits until /api/health answers 200 (stopping it on failure). */
export async function startAppServer(name: string, env: Record<string, string> = {}, timeoutMs = 90_000): Promise<AppServer> {
  const server = await spawnAppServer(name, env);
  let exited = false;
  void server.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    const res = await fetch(`${server.url}/api/health`).catch(() => undefined);
    if (res?.ok) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(
    `${name}: next start did not become healthy (${exited ? "exited" : `${timeoutMs} ms`}):\n${server.output().slice(-3000)}`,
  );
}
