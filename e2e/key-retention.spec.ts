/**
 * A provider key saved through the dashboard, a password typed to sign up or in, and an agent token
 * an agent presents do not stay in the server's memory once their requests are over. Node's AsyncLocalStorage copies the current
 * request's context onto every promise, timer and socket created while serving it, and that context
 * holds the server action's decoded form. What used to keep such a request for good (each seen in a
 * heap snapshot): the page's server-action module, loaded by the first call (lib/action-preload.ts);
 * undici's shared timer and sockets, started by the Save's validation call (lib/net/guarded-fetch.ts)
 * or by Next's fetch of a redirect target after sign-in (lib/net/global-dispatcher.ts); the import of
 * drizzle-orm by the first rate-limited sign-up (lib/rate-limits/store.ts); a PostgreSQL
 * connection opened during the request (db/postgres.ts); PGlite's own timer, which PostgreSQL
 * arms from some statements and re-arms from its callback, so the sign-up whose statement armed it
 * stayed for good (db/pglite.ts; this test failed two runs in five); and, for agent tokens, the per-token rate
 * limit's key, once the token's last 16 characters: a slice of the Authorization header, which kept
 * the whole header for the limit's window (now the token's hash). Runs its own server, with heap
 * snapshots on SIGUSR2.
 */
import { closeSync, fstatSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "./app-server";
import { emulatorKey } from "./emulator";
import { expect, newAccount, signIn, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";

let server: AppServer;
const snapshots = mkdtempSync(path.join(os.tmpdir(), "byok-heap-"));

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startAppServer("key-retention", {
    NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}`,
  });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(snapshots, { recursive: true, force: true });
});

/** The last bytes of a file (a snapshot being written is tens of MB). */
function tail(file: string, bytes = 16): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Asks the server for a heap snapshot and returns its text once written. */
async function heapSnapshot(): Promise<string> {
  const before = new Set(readdirSync(snapshots));
  server.signal("SIGUSR2");
  let file: string | undefined;
  await expect
    .poll(
      () => {
        const written = readdirSync(snapshots).find((f) => f.endsWith(".heapsnapshot") && !before.has(f));
        if (!written) return false;
        // Complete once its last bytes are written: the strings table and a closing brace.
        if (tail(path.join(snapshots, written)).trimEnd().endsWith("]}")) file = written;
        return file !== undefined;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(true);
  return readFileSync(path.join(snapshots, file!), "utf8");
}

test("a saved key, the password and an agent's token are not in the server's heap once their requests are over", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const account = newAccount("Heap");
  await signUp(page, account);

  const models = new ModelsPage(page);
  const key = emulatorKey("valid");
  await models.fill("OpenAI", { key, host: models.host("openai"), model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await expect(page.getByText("OpenAI saved and verified").first()).toBeVisible();
  await models.expectStatus("OpenAI", "Valid");
  // The user goes on using the app, and signs in again later (the sign-in form holds the password).
  await page.goto("/agent/tokens");
  await context.clearCookies();
  await page.goto("/login");
  await signIn(page, account);
  await expect(page).toHaveURL(/\/agent\/models$/);
  await models.setDefault("OpenAI");
  // An agent gets a token and calls for its config: from the database, then from the resolution cache.
  const agentToken = await new TokensPage(page).create("Heap agent");
  await context.close();
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${server.url}/api/v1/config`, { headers: { authorization: `Bearer ${agentToken}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { apiKey?: string }).apiKey).toBe(key);
  }

  // Start-up loaded every page's actions before this user's first request (lib/action-preload.ts).
  expect(server.output()).toMatch(/server actions preloaded: (\d+) of \1 pages/);
  const text = await heapSnapshot();
  const snapshot = JSON.parse(text) as { snapshot: { node_count: number }; strings: string[] };
  expect(snapshot.snapshot.node_count).toBeGreaterThan(100_000); // a real snapshot of the server
  expect(text.includes(key.slice(-24)), "the key (or its tail) is in the heap snapshot").toBe(false);
  expect(text.includes(account.password), "the password is in the heap snapshot").toBe(false);
  expect(text.includes(agentToken.slice(-16)), "the agent token (or its tail) is in the heap snapshot").toBe(false);
});
