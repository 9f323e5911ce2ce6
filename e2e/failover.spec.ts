/**
 * Profile failover with the official `openai` SDK: an account made through the pages with an
 * OpenAI and a DeepSeek card (both valid, against the emulator) and a token; a profile `coder`
 * whose first entry is the OpenAI credential with a model the emulator rate-limits and whose second
 * is DeepSeek. The SDK, pointed at `/api/v1/gateway/profile/coder` with no retries of its own,
 * gets DeepSeek's answer, and the headers say which entry answered.
 *
 * The profile rows are inserted straight into the instance's database — a private PostgreSQL
 * cluster, as in multi-instance.spec.ts — because the profile pages are built on another branch.
 */
import OpenAI from "openai";
import postgres from "postgres";
import { expect, test } from "@playwright/test";
import { startAppServer, TEST_SECRETS } from "./app-server";
import { emulatorApiHost, emulatorKey, startEmulator } from "./emulator";
import { clientAddressHeaders, newAccount, signUp } from "./fixtures";
import { TokensPage } from "./pages/tokens-page";
import { saveCard } from "./reliability/agent-setup";
import { hasPostgresBinaries, startPrivateCluster } from "./reliability/pg-cluster";

test.describe.configure({ mode: "default", timeout: 180_000 });
test.skip(!hasPostgresBinaries && !process.env.CI, "PostgreSQL server binaries (initdb, pg_ctl) are not installed");

const hi = [{ role: "user" as const, content: "hi" }];

test("an OpenAI SDK client on a profile: the first entry's 429 is answered by the second entry", async ({ browser }) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const cluster = await startPrivateCluster();
    cleanups.push(cluster.destroy);
    const emulator = await startEmulator();
    cleanups.push(emulator.close);
    const app = await startAppServer("failover", { DATABASE_URL: cluster.url, ...TEST_SECRETS, PROVIDER_REQUEST_TIMEOUT_MS: "3000" });
    cleanups.push(app.stop);
    const context = await browser.newContext({ baseURL: app.url, extraHTTPHeaders: clientAddressHeaders() });
    cleanups.push(() => context.close());
    const page = await context.newPage();

    const account = newAccount("Failover");
    await signUp(page, account);
    const openaiKey = emulatorKey("valid");
    const deepseekKey = emulatorKey("valid", "sk-");
    await saveCard(page, "OpenAI", { key: openaiKey, host: emulatorApiHost(emulator.url, "openai"), model: "gpt-4o-mini" });
    await saveCard(page, "DeepSeek", { key: deepseekKey, host: emulatorApiHost(emulator.url, "deepseek"), model: "deepseek-chat" });
    const token = await new TokensPage(page).create("failover agent");

    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    cleanups.push(() => sql.end());
    const [user] = await sql<{ id: string }[]>`select id from users where email = ${account.email}`;
    const credentials = await sql<{ id: string; provider: string }[]>`
      select id, provider from provider_credentials where owner_user_id = ${user!.id}`;
    const credentialOf = (provider: string) => credentials.find((c) => c.provider === provider)!.id;
    const [profile] = await sql<{ id: string }[]>`
      insert into model_profiles (owner_user_id, name, created_by_user_id) values (${user!.id}, 'coder', ${user!.id}) returning id`;
    await sql`insert into model_profile_entries (profile_id, position, credential_id, model) values
      (${profile!.id}, 0, ${credentialOf("openai")}, 'gpt-4o-ratelimit'),
      (${profile!.id}, 1, ${credentialOf("deepseek")}, 'deepseek-chat')`;

    emulator.clear();
    const client = new OpenAI({ baseURL: `${app.url}/api/v1/gateway/profile/coder`, apiKey: token, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: "the-agent-s-choice", messages: hi }).withResponse();
    expect(response.status).toBe(200);
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(response.headers.get("x-byok-credential")).toBe(credentialOf("deepseek"));
    expect(response.headers.get("x-byok-model")).toBe("deepseek-chat");
    expect(response.headers.get("x-byok-attempts")).toBe("2");

    // The emulator saw the OpenAI entry (its key, its model: 429), then DeepSeek's; never the token.
    const calls = emulator.requests().filter((r) => r.path.endsWith("/chat/completions"));
    expect(calls.map((r) => [r.provider, (JSON.parse(r.body) as { model: string }).model])).toEqual([
      ["openai", "gpt-4o-ratelimit"],
      ["deepseek", "deepseek-chat"],
    ]);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${openaiKey}`);
    expect(calls[1]!.headers.authorization).toBe(`Bearer ${deepseekKey}`);
    expect(JSON.stringify(calls)).not.toContain(token);

    // A streamed answer fails over the same way.
    const stream = await client.chat.completions.create({ model: "x", messages: hi, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text.length).toBeGreaterThan(0);

    // The per-credential gateway beside the static `profile` segment still answers, without the profile headers.
    const direct = new OpenAI({ baseURL: `${app.url}/api/v1/gateway/${credentialOf("deepseek")}`, apiKey: token, maxRetries: 0 });
    const plain = await direct.chat.completions.create({ model: "deepseek-chat", messages: hi }).withResponse();
    expect(plain.response.status).toBe(200);
    expect(plain.response.headers.get("x-byok-credential")).toBeNull();
    // An unknown profile is BYOK's 404.
    const missing = await fetch(`${app.url}/api/v1/gateway/profile/nope/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "x", messages: hi }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "profile_not_found" } });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
});
