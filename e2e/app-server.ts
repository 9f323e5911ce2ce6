/**
 * Starts one more production server (`next start`) for a spec that needs its own configuration:
 * a fresh PGlite directory unless DATABASE_URL is given, generated secrets, the log kept in memory.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

const root = path.resolve(__dirname, "..");

export type AppServer = { url: string; port: number; output: () => string; stop: () => Promise<void> };

export async function startAppServer(env: Record<string, string>, timeoutMs = 60_000): Promise<AppServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "byok-app-"));
  const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
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
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let exited = false;
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  child.on("exit", () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      for (let i = 0; i < 20 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
      if (!exited) child.kill("SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    const health = await fetch(`${url}/api/health`).catch(() => undefined);
    if (health?.ok) return { url, port, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`next start on ${url} did not become healthy:\n${output.slice(-2000)}`);
}
