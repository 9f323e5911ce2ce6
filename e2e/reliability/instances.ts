/**
 * BYOK instances for multi-process tests: `next start` (production build) on free ports, each in
 * its own process group so stopping it stops everything it started, its output kept in memory
 * and in e2e/.artifacts/<name>.log.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { freePort } from "../free-port";

const root = path.resolve(__dirname, "..", "..");
const artifacts = path.join(root, "e2e", ".artifacts");

export const TEST_SECRETS = {
  AUTH_SECRET: "reliability-e2e-secret-long-enough-for-auth-js",
  BYOK_ENCRYPTION_KEYS: `v1:${Buffer.alloc(32, 11).toString("base64")}`,
};

export type Instance = {
  name: string;
  url: string;
  /** Everything the server printed so far. */
  output: () => string;
  stop: () => Promise<void>;
};

async function waitForHealth(url: string, timeoutMs: number, exited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`next start exited early:\n${output().slice(-3000)}`);
    const res = await fetch(`${url}/api/health`).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

/** Starts one instance and waits until /api/health answers 200. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npx next build` first.");
  mkdirSync(artifacts, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ALLOW_PRIVATE_API_HOSTS: "127.0.0.1,localhost",
      PROVIDER_REQUEST_TIMEOUT_MS: "3000",
      PROVIDER_VALIDATION_TIMEOUT_MS: "8000",
      ...TEST_SECRETS,
      PORT: String(port),
      ...env,
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
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  let stopping: Promise<void> | undefined;
  const instance: Instance = {
    name,
    url,
    output: () => text,
    stop: () =>
      (stopping ??= (async () => {
        if (!exited) {
          signal("SIGTERM");
          await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 3000))]);
          if (!exited) signal("SIGKILL");
          await exitedPromise;
        }
        await new Promise((r) => file.end(r));
      })()),
  };
  try {
    await waitForHealth(url, 90_000, () => exited, () => text);
  } catch (error) {
    await instance.stop();
    throw error;
  }
  return instance;
}
