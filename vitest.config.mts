import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const shared = {
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React Server Components; tests run server code directly.
      "server-only": path.join(root, "test/empty-module.ts"),
    },
  },
};

/**
 * Workers: Vitest's default is one fewer than the cores (a single worker on a 2-core machine), yet
 * neither project keeps a core busy per worker: the unit tests wait on the emulator's sockets and
 * timeouts, the integration tests on the database as well. Measured on 2 cores (`npm test`):
 * unit 61 s with 1 worker, 34 with 2, 27 with 3; integration on PostgreSQL 83 s with 1, 51 with 3,
 * 47 with 4 (6 no better); on PGlite, which runs in the worker's own thread, 149 s with 1, 99 with 3,
 * 103 with 4. All of `npm test` with these settings: PostgreSQL 152 → 71–75 s, PGlite 129–130 s.
 * `--maxWorkers N` still overrides.
 */
const cores = availableParallelism();
const onPostgres = Boolean(process.env.DATABASE_URL?.trim());

/**
 * Two projects: unit tests (`*.test.ts`, beside the code, no database) and integration tests
 * (`*.int.test.ts`), each file with its own fresh database: PGlite by default, PostgreSQL when
 * DATABASE_URL is set (a database per file, cloned from a migrated template made for this run).
 */
export default defineConfig({
  test: {
    maxWorkers: onPostgres ? 2 * cores : cores + 1,
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          environment: "node",
          include: ["{lib,db,components,app,e2e,test}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.{ts,tsx}", "node_modules/**"],
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          environment: "node",
          include: ["{lib,db,app,test}/**/*.int.test.{ts,tsx}"],
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-database.ts"],
          // next-auth's ESM imports `next/server` without an extension, which Node alone cannot resolve.
          server: { deps: { inline: ["next-auth"] } },
          // The provider emulator runs on 127.0.0.1; short provider timeouts keep "slow" tests quick.
          env: {
            ALLOW_PRIVATE_API_HOSTS: "127.0.0.1,localhost",
            PROVIDER_REQUEST_TIMEOUT_MS: "1500",
            PROVIDER_VALIDATION_TIMEOUT_MS: "3000",
          },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
