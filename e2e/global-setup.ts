/**
 * Starts what the browser tests run against: the production build (`next start`) on a free port
 * with a fresh PGlite directory and generated secrets, reachable at E2E_BASE_URL, and the provider
 * emulator. Returns the teardown that stops both. The server log goes to e2e/.artifacts/server.log.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer } from "./app-server";
import { startEmulator } from "./emulator";

export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "byok-e2e-"));
  // The provider emulator; cards point at it through their API Host. "slow" keys answer after 8 s,
  // past the server's 2 s per-request timeout below.
  const emulator = await startEmulator({ port: 0, slowMs: 8000 });
  const server = await startAppServer("server", {
    BYOK_DATA_DIR: dataDir,
    PROVIDER_REQUEST_TIMEOUT_MS: "2000",
    PROVIDER_VALIDATION_TIMEOUT_MS: "5000",
    // Every test reaches the server from 127.0.0.1; like a reverse proxy would, the fixtures send
    // each test's own X-Forwarded-For, so per-address limits apply per test, as per person.
    TRUSTED_PROXY_HOPS: "1",
  });
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_SERVER_LOG = path.resolve(__dirname, ".artifacts", "server.log");
  process.env.E2E_EMULATOR_URL = emulator.url;
  process.env.E2E_DATA_DIR = dataDir;

  return async () => {
    await server.stop();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
