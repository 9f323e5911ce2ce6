/**
 * The resolution cache across instances (lib/resolution/): two `next start` processes on one
 * private PostgreSQL cluster, each answering GET /api/v1/config from its own cache.
 *
 * 1. A token revoked on instance A's Tokens page is refused by B within a second of the click
 *    returning, and by A on its very next request.
 * 2. A share narrowed on A's org Models page ("Selected members", the member left out; driven by
 *    the UI) takes the shared credential away from the member's token on B the same way.
 * 3. The LISTEN connections killed, then a token revoked without any announcement (triggers off
 *    for that transaction): B refuses it within a second and never serves it again (it bypasses
 *    its cache while the feed is down and starts empty when it is back); once both listeners are
 *    back, B caches again (a silent write goes unseen) and hears announcements again. Until B
 *    notices its listener is gone it still answers from memory: those answers are counted.
 *
 * Delays, stale answers and reconnect times go to the test output and an attachment.
 */
import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { hashToken } from "@/lib/tokens/token-format";
import { emulatorApiHost, emulatorKey, startEmulator } from "./emulator";
import { clientAddressHeaders, newAccount, signUp } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";
import { saveCard } from "./reliability/agent-setup";
import { startAppServer, TEST_SECRETS, type AppServer } from "./app-server";
import { hasPostgresBinaries, startPrivateCluster } from "./reliability/pg-cluster";

test.describe.configure({ mode: "default", timeout: 180_000 });
test.skip(!hasPostgresBinaries && !process.env.CI, "PostgreSQL server binaries (initdb, pg_ctl) are not installed");

const KEY = emulatorKey("valid");
/** Within this long of the write returning, the other instance must refuse. */
const BOUND_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (ms: number) => Math.round(ms * 10) / 10;

type Answer = { status: number; code: string | null; key: boolean; at: number };
type Sql = postgres.Sql;

/** One agent request; `at` is when the answer arrived. Each phase asks from its own client address (failures are limited per address). */
async function ask(instance: AppServer, token: string, address: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${instance.url}/api/v1/config`, {
    headers: { authorization: `Bearer ${token}`, ...address },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  const code = res.ok ? null : ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null);
  return { status: res.status, code, key: text.includes(KEY), at: performance.now() };
}

/** Asks twice, served both times: the instance's cache holds the answer. */
async function warm(instance: AppServer, token: string) {
  const address = clientAddressHeaders();
  for (let i = 0; i < 2; i++) expect((await ask(instance, token, address)).status).toBe(200);
}

/**
 * Asks every ~5 ms from `since` until refused (or 3 s), then 20 times more. Figures: how long
 * after `since` the first refusal arrived, how many answers served before it, and the 20 after it.
 */
async function untilRefused(instance: AppServer, token: string, since: number, refused: (a: Answer) => boolean) {
  const address = clientAddressHeaders();
  const before: Answer[] = [];
  let first: Answer | undefined;
  while (!first && performance.now() - since < 3 * BOUND_MS) {
    const answer = await ask(instance, token, address);
    if (refused(answer)) {
      first = answer;
    } else {
      before.push(answer);
      await sleep(5);
    }
  }
  const after: Answer[] = [];
  if (first) for (let i = 0; i < 20; i++) after.push(await ask(instance, token, address));
  return {
    refusedAfterMs: first ? round(first.at - since) : null,
    staleAnswers: before.filter((a) => a.status === 200).length,
    lastStaleAfterMs: before.length > 0 ? round(before.at(-1)!.at - since) : null,
    keyServedAfterRefusal: after.filter((a) => a.key).length,
    laterAnswers: [...new Set(after.map((a) => `${a.status} ${a.code}`))],
    firstRefusal: first ? `${first.status} ${first.code}` : null,
  };
}

/**
 * Clicks, and resolves when the server action it posts has answered: its response headers follow
 * the action's completion (and so its commit). Its RSC body may stream on for a while (Playwright's
 * `response.finished()` did not resolve for the sharing action's), so that is not waited for.
 */
async function actionReturned(page: Page, click: () => Promise<void>): Promise<number> {
  const response = page.waitForResponse((r) => r.request().method() === "POST" && r.request().headers()["next-action"] !== undefined);
  await click();
  expect((await response).status()).toBe(200);
  return performance.now();
}

/** A token revoked in one transaction whose triggers do not fire: nothing is announced. */
async function revokeSilently(sql: Sql, token: string) {
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update agent_tokens set revoked_at = now() where token_hash = ${hashToken(token)}`;
  });
}

/**
 * Waits until `count` listeners other than `except` have LISTENed (their first query; later, the
 * feed's pings replace the LISTEN in `query`); returns their pids.
 */
async function listeners(sql: Sql, count: number, except: number[] = []): Promise<number[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await sql<{ pid: number }[]>`
      select pid from pg_stat_activity
      where application_name = 'byok-invalidation' and state = 'idle' and query <> '' and pid <> all(${except})`;
    if (rows.length >= count || Date.now() > deadline) return rows.map((r) => r.pid);
    await sleep(10);
  }
}

test("two instances on one PostgreSQL: revocations, narrowed shares and a lost listener are seen by the other instance within 1 s", async ({
  browser,
}, testInfo) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  const figures: Record<string, unknown> = {};
  try {
    const cluster = await startPrivateCluster();
    cleanups.push(cluster.destroy);
    const emulator = await startEmulator();
    cleanups.push(emulator.close);
    const env = { DATABASE_URL: cluster.url, ...TEST_SECRETS, TRUSTED_PROXY_HOPS: "1" };
    const started = await Promise.allSettled(["coherence-a", "coherence-b"].map((name) => startAppServer(name, env)));
    for (const r of started) if (r.status === "fulfilled") cleanups.push(r.value.stop);
    for (const r of started) if (r.status === "rejected") throw r.reason;
    const [a, b] = started.map((r) => (r as PromiseFulfilledResult<AppServer>).value) as [AppServer, AppServer];
    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    cleanups.push(() => sql.end());

    // The owner, on A: their own OpenAI key as default (handed out as the key), four tokens, and an
    // org whose OpenAI credential (gateway) a member uses as their default.
    const ownerContext = await browser.newContext({ baseURL: a.url, extraHTTPHeaders: clientAddressHeaders() });
    cleanups.push(() => ownerContext.close());
    const owner = await ownerContext.newPage();
    await signUp(owner, newAccount("Owner"));
    const host = emulatorApiHost(emulator.url, "openai");
    await saveCard(owner, "OpenAI", { key: KEY, host, model: "gpt-4o-mini" });
    await new ModelsPage(owner).card("OpenAI").getByRole("button", { name: "Set as Default" }).click();
    await expect(new ModelsPage(owner).card("OpenAI").getByText("Default", { exact: true })).toBeVisible();
    const ownerTokens = new TokensPage(owner);
    const [probe, revoked, silent, resumed] = [
      await ownerTokens.create("probe"),
      await ownerTokens.create("revoked in the UI"),
      await ownerTokens.create("revoked silently"),
      await ownerTokens.create("after the reconnect"),
    ] as [string, string, string, string];

    await owner.goto("/orgs/new");
    await owner.getByLabel("Organization name").fill(`Coherence ${Date.now()}`);
    await owner.getByRole("button", { name: "Create organization" }).click();
    await expect(owner).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
    const slug = new URL(owner.url()).pathname.split("/")[2]!;
    const orgModels = new ModelsPage(owner);
    await orgModels.fill("OpenAI", { key: emulatorKey("valid"), host, model: "gpt-4o" });
    await orgModels.save("OpenAI");
    await orgModels.expectStatus("OpenAI", "Valid");
    const memberAccount = newAccount("Member");
    await owner.goto(`/orgs/${slug}/members`);
    await owner.getByLabel("Email").fill(memberAccount.email);
    await owner.getByLabel("Role").first().selectOption("member");
    await owner.getByRole("button", { name: "Invite" }).click();
    const link = await owner.getByRole("textbox", { name: "Invitation link" }).inputValue();

    const memberContext = await browser.newContext({ baseURL: a.url, extraHTTPHeaders: clientAddressHeaders() });
    cleanups.push(() => memberContext.close());
    const member = await memberContext.newPage();
    await signUp(member, memberAccount);
    await member.goto(new URL(link).pathname);
    await member.getByRole("button", { name: "Accept invitation" }).click();
    await expect(member).toHaveURL(new RegExp(`/orgs/${slug}/models$`));
    await member.goto("/agent/models");
    const sharedCard = member.getByRole("region", { name: "Shared with you" }).getByRole("region", { name: "OpenAI", exact: true });
    await sharedCard.getByRole("button", { name: "Set as Default" }).click();
    await expect(sharedCard.getByText("Default", { exact: true })).toBeVisible();
    const memberToken = await new TokensPage(member).create("member agent");
    await memberContext.close();

    // Each instance LISTENs on one connection of its own; both caches are on: a token revoked
    // without an announcement is still served by both.
    await warm(a, probe);
    await warm(b, probe);
    expect(await listeners(sql, 2)).toHaveLength(2);
    await warm(a, probe);
    await warm(b, probe);
    await revokeSilently(sql, probe);
    await warm(a, probe);
    await warm(b, probe);

    // 1. Revoked on A's Tokens page.
    await warm(a, revoked);
    await warm(b, revoked);
    expect((await ask(b, revoked, clientAddressHeaders())).key).toBe(true);
    await ownerTokens.goto();
    await ownerTokens.row("revoked in the UI").getByRole("button", { name: "Revoke revoked in the UI" }).click();
    const revokedAt = await actionReturned(owner, () => owner.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click());
    const [aNext, onB] = await Promise.all([
      ask(a, revoked, clientAddressHeaders()),
      untilRefused(b, revoked, revokedAt, (r) => r.status === 401),
    ]);
    figures.revoke = { aNextRequest: aNext.status, b: onB };
    await expect(owner.getByText("Token “revoked in the UI” revoked")).toBeVisible();
    expect(aNext.status).toBe(401);
    expect(onB.refusedAfterMs).not.toBeNull();
    expect(onB.refusedAfterMs!).toBeLessThanOrEqual(BOUND_MS);
    expect(onB.laterAnswers).toEqual(["401 unauthorized"]);
    expect(onB.keyServedAfterRefusal).toBe(0);

    // 2. The share narrowed on A's org Models page: owners and admins only.
    await warm(a, memberToken);
    await warm(b, memberToken);
    await owner.goto(`/orgs/${slug}/models`);
    const card = orgModels.card("OpenAI");
    await card.getByRole("radio", { name: "Selected members" }).check();
    await expect(card.getByRole("checkbox", { name: memberAccount.email })).not.toBeChecked();
    const narrowedAt = await actionReturned(owner, () => card.getByRole("button", { name: "Save sharing" }).click());
    const noModel = (r: Answer) => r.status === 404 && r.code === "no_default_model";
    const [aAfterShare, shareOnB] = await Promise.all([
      ask(a, memberToken, clientAddressHeaders()),
      untilRefused(b, memberToken, narrowedAt, noModel),
    ]);
    figures.share = { aNextRequest: `${aAfterShare.status} ${aAfterShare.code}`, b: shareOnB };
    await expect(owner.getByText("OpenAI is shared with owners and admins only")).toBeVisible();
    expect(noModel(aAfterShare)).toBe(true);
    expect(shareOnB.refusedAfterMs).not.toBeNull();
    expect(shareOnB.refusedAfterMs!).toBeLessThanOrEqual(BOUND_MS);
    expect(shareOnB.laterAnswers).toEqual(["404 no_default_model"]);

    // 3. Both listeners killed, then a revocation nobody announces.
    await warm(b, silent);
    const killedAt = performance.now();
    // In the select list, not the where clause: PostgreSQL may evaluate a where clause's
    // conditions in any order, and would then terminate every backend.
    const killed = await sql<{ pid: number; terminated: boolean }[]>`
      select pid, pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = 'byok-invalidation'`;
    // Watched on a connection of its own while B is asked: when both listeners are back.
    const watcher = postgres(cluster.url, { max: 1 });
    cleanups.push(() => watcher.end());
    const back = listeners(
      watcher,
      2,
      killed.map((k) => k.pid),
    ).then((pids) => ({ pids, afterMs: round(performance.now() - killedAt) }));
    await revokeSilently(sql, silent);
    const silentlyRevokedAt = performance.now();
    const silentOnB = await untilRefused(b, silent, silentlyRevokedAt, (r) => r.status === 401);
    const { pids: backPids, afterMs: reconnectedAfterMs } = await back;
    figures.listenerDrop = {
      killed: killed.length,
      revokedSilentlyAfterKillMs: round(silentlyRevokedAt - killedAt),
      b: silentOnB,
      listenersBackAfterKillMs: reconnectedAfterMs,
    };
    expect(killed.map((k) => k.terminated)).toEqual([true, true]);
    expect(silentOnB.refusedAfterMs).not.toBeNull();
    expect(silentOnB.refusedAfterMs!).toBeLessThanOrEqual(BOUND_MS);
    expect(silentOnB.laterAnswers).toEqual(["401 unauthorized"]);
    expect(silentOnB.keyServedAfterRefusal).toBe(0);
    expect(backPids).toHaveLength(2);
    expect(b.output()).toContain("resolution cache bypassed: invalidation feed lost");

    // Caching resumed on B (a silent revocation goes unseen), and so did the announcements.
    await warm(b, resumed);
    await revokeSilently(sql, resumed);
    await warm(b, resumed);
    await sql`update agent_tokens set revoked_at = now() where token_hash = ${hashToken(resumed)}`;
    const announcedAt = performance.now();
    const resumedOnB = await untilRefused(b, resumed, announcedAt, (r) => r.status === 401);
    figures.afterReconnect = { b: resumedOnB };
    expect(resumedOnB.refusedAfterMs).not.toBeNull();
    expect(resumedOnB.refusedAfterMs!).toBeLessThanOrEqual(BOUND_MS);
    expect(resumedOnB.laterAnswers).toEqual(["401 unauthorized"]);
  } finally {
    console.log(`resolution coherence: ${JSON.stringify(figures)}`);
    await testInfo.attach("resolution-coherence.json", { body: JSON.stringify(figures, null, 2), contentType: "application/json" });
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
});
