/**
 * Starts what the browser tests run against: the production build (`next start`) on a free port
 * with a fresh PGlite directory and generated secrets, reachable at E2E_BASE_URL. Returns the
 * teardown that stops it and deletes the directory. The server log goes to e2e/.artifacts/.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator } from "./emulator";
import { freePort } from "./free-port";

const root = path.resolve(__dirname, "..");

async function waitForHealth(url: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("next start exited early; see e2e/.artifacts/server.log");
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms`);
}

export default async function globalSetup() {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run test:e2e` (it builds first) or `npm run build`.");
  }
  const artifacts = path.join(root, "e2e", ".artifacts");
  mkdirSync(artifacts, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "byok-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(path.join(artifacts, "server.log"));
  // The provider emulator; cards point at it through their API Host. "slow" keys answer after 8 s,
  // past the server's 2 s per-request timeout below.
  const emulator = await startEmulator({ port: 0, slowMs: 8000 });

  const server = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: "",
      BYOK_DATA_DIR: dataDir,
      PGLITE_DIR: "",
      AUTH_SECRET: "",
      BYOK_ENCRYPTION_KEYS: "",
      ALLOW_PRIVATE_API_HOSTS: "127.0.0.1,localhost",
      PROVIDER_REQUEST_TIMEOUT_MS: "2000",
      PROVIDER_VALIDATION_TIMEOUT_MS: "5000",
      REVALIDATE_INTERVAL_HOURS: "0",
      // Every test reaches the server from 127.0.0.1; like a reverse proxy would, the fixtures send
      // each test's own X-Forwarded-For, so per-address limits apply per test, as per person.
      TRUSTED_PROXY_HOPS: "1",
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  let exited = false;
  server.on("exit", () => (exited = true));

  await waitForHealth(baseUrl, 60_000, () => exited);
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_SERVER_LOG = path.join(artifacts, "server.log");
  process.env.E2E_EMULATOR_URL = emulator.url;
  process.env.E2E_DATA_DIR = dataDir;

  return async () => {
    if (!exited) {
      server.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      if (!exited) server.kill("SIGKILL");
    }
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
