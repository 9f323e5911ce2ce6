/**
 * Budgets across instances (issue 12 §2): two `next start` processes on one private PostgreSQL
 * cluster serve one token concurrently. Requests never pass the request limit (admission is one
 * atomic statement); tokens, known only after the answer, pass the token limit by at most the
 * tokens of the requests in flight when it was reached. Figures go to the test output.
 */
import { writeFileSync } from "node:fs";
import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { emulatorApiHost, emulatorKey, startEmulator, type Emulator } from "./emulator";
import { newAccount, signUp } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";
import { startAppServer, TEST_SECRETS, type AppServer } from "./app-server";
import { hasPostgresBinaries, startPrivateCluster } from "./reliability/pg-cluster";

test.describe.configure({ mode: "default", timeout: 240_000 });
test.skip(!hasPostgresBinaries && !process.env.CI, "PostgreSQL server binaries (initdb, pg_ctl) are not installed");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than the budget map's reload interval (lib/budgets/registry.ts, 5 s). */
const REGISTRY_WAIT_MS = 5_500;
/** How often an instance writes its token counts (lib/budgets/admission.ts). */
const TOKEN_BATCH_MS = 200;

type Answer = { status: number; code: string | null; tokens: number };

async function chat(instance: AppServer, credentialId: string, token: string): Promise<Answer> {
  const res = await fetch(`${instance.url}/api/v1/gateway/${credentialId}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }),
  });
  const body = (await res.json()) as { usage?: { total_tokens: number }; error?: { code: string } };
  return { status: res.status, code: body.error?.code ?? null, tokens: body.usage?.total_tokens ?? 0 };
}

/** An org with an OpenAI card on the emulator (gateway mode), and two personal tokens of its owner; through instance A's pages. */
async function setUp(page: Page, emulator: Emulator) {
  await signUp(page, newAccount("Budget"));
  await page.goto("/orgs/new");
  await page.getByLabel("Organization name").fill(`Budgets ${Date.now()}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const models = new ModelsPage(page);
  await models.fill("OpenAI", { key: emulatorKey("valid"), host: emulatorApiHost(emulator.url, "openai"), model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");
  const tokens = [await new TokensPage(page).create("requests agent"), await new TokensPage(page).create("tokens agent")];
  const res = await page.request.get("/api/v1/config?provider=openai", { headers: { authorization: `Bearer ${tokens[0]}` } });
  const config = (await res.json()) as { apiHost: string };
  const credentialId = /\/api\/v1\/gateway\/([0-9a-f-]{36})/.exec(config.apiHost)![1]!;
  return { tokens, credentialId };
}

async function setTokenBudget(page: Page, name: string, field: "Monthly request limit" | "Monthly token limit", value: number) {
  await page.goto("/agent/budgets");
  const row = page.getByRole("region", { name });
  await row.getByLabel(field).fill(String(value));
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Budget saved for ${name}`)).toBeVisible();
}

test("two instances on one PostgreSQL: exactly the request limit admitted; tokens overshoot at most by what was in flight", async ({
  browser,
}, testInfo) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const cluster = await startPrivateCluster();
    cleanups.push(cluster.destroy);
    const emulator = await startEmulator();
    cleanups.push(emulator.close);
    const env = { DATABASE_URL: cluster.url, ...TEST_SECRETS, GATEWAY_TOKEN_RATE_PER_MINUTE: "100000" };
    const started = await Promise.allSettled(["budgets-a", "budgets-b"].map((name) => startAppServer(name, env)));
    for (const r of started) if (r.status === "fulfilled") cleanups.push(r.value.stop);
    for (const r of started) if (r.status === "rejected") throw r.reason;
    const [a, b] = started.map((r) => (r as PromiseFulfilledResult<AppServer>).value) as [AppServer, AppServer];
    const sql = postgres(cluster.url, { max: 1 });
    cleanups.push(() => sql.end());

    const context = await browser.newContext({ baseURL: a.url });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const { tokens, credentialId } = await setUp(page, emulator);

    // Requests: limit 10, 60 concurrent requests, 30 at each instance.
    const REQUEST_LIMIT = 10;
    await setTokenBudget(page, "requests agent", "Monthly request limit", REQUEST_LIMIT);
    await sleep(REGISTRY_WAIT_MS);
    const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => chat(i % 2 ? b : a, credentialId, tokens[0]!)));
    const admitted = burst.filter((r) => r.status === 200);
    const refused = burst.filter((r) => r.status === 429 && r.code === "budget_exceeded");
    const [requestCounter] = await sql<{ requests: string }[]>`
      select c.requests from budget_counters c join budgets b on b.id = c.budget_id where b.request_limit = ${REQUEST_LIMIT}`;

    // Tokens: measure one request's tokens (before any token budget), then a limit of 5 such requests,
    // hit with waves of 8 concurrent requests (4 per instance) until refused. A request counts as in
    // flight until its tokens are written (batched, ≤ 200 ms after its answer): waves are paced past
    // that, so the requests in flight when the limit is reached are one wave's.
    const perRequest = (await chat(a, credentialId, tokens[1]!)).tokens;
    expect(perRequest).toBeGreaterThan(0);
    const TOKEN_LIMIT = perRequest * 5;
    const WAVE = 8;
    await setTokenBudget(page, "tokens agent", "Monthly token limit", TOKEN_LIMIT);
    await sleep(REGISTRY_WAIT_MS);
    let tokenAdmitted = 0;
    let waves = 0;
    for (; waves < 20; waves++) {
      const wave = await Promise.all(Array.from({ length: WAVE }, (_, i) => chat(i % 2 ? b : a, credentialId, tokens[1]!)));
      tokenAdmitted += wave.filter((r) => r.status === 200).length;
      if (wave.some((r) => r.status === 429)) break;
      await sleep(TOKEN_BATCH_MS * 2);
    }
    await sleep(TOKEN_BATCH_MS * 3); // the last token batches are written
    const after = await Promise.all([chat(a, credentialId, tokens[1]!), chat(b, credentialId, tokens[1]!)]);
    const [tokenCounter] = await sql<{ tokens: string; requests: string }[]>`
      select c.tokens, c.requests from budget_counters c join budgets b on b.id = c.budget_id where b.token_limit = ${TOKEN_LIMIT}`;

    const figures = {
      requests: {
        limit: REQUEST_LIMIT,
        sent: burst.length,
        admitted: admitted.length,
        refusedBudgetExceeded: refused.length,
        counter: Number(requestCounter?.requests),
      },
      tokens: {
        limit: TOKEN_LIMIT,
        perRequest,
        concurrency: WAVE,
        waves: waves + 1,
        admitted: tokenAdmitted,
        used: Number(tokenCounter?.tokens),
        bound: TOKEN_LIMIT + WAVE * perRequest,
        afterwards: after.map((r) => r.status),
      },
    };
    console.log(`budgets two instances: ${JSON.stringify(figures)}`);
    writeFileSync(testInfo.outputPath("budgets-multi-instance.json"), JSON.stringify(figures, null, 2));

    expect(admitted).toHaveLength(REQUEST_LIMIT);
    expect(refused).toHaveLength(60 - REQUEST_LIMIT);
    expect(figures.requests.counter).toBe(REQUEST_LIMIT);
    expect(figures.tokens.used).toBeGreaterThanOrEqual(TOKEN_LIMIT);
    expect(figures.tokens.used).toBeLessThanOrEqual(figures.tokens.bound);
    expect(figures.tokens.afterwards).toEqual([429, 429]);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
});
