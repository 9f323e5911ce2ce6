/**
 * Profile failover with the official `openai` SDK: an account with an OpenAI and a DeepSeek card
 * (both valid, against the emulator) and a token, and a profile `coder`, built on the Profiles
 * page, whose first entry is the OpenAI credential with a model the emulator rate-limits and whose
 * second is DeepSeek. The SDK, pointed at `/api/v1/gateway/profile/coder` with no retries of its
 * own, gets DeepSeek's answer, and the headers say which entry answered.
 */
import OpenAI from "openai";
import { emulatorKey } from "./emulator";
import { expect, signUp, test } from "./fixtures";
import { emulatorRequests } from "./gateway-setup";
import { ModelsPage } from "./pages/models-page";
import { ProfilesPage } from "./pages/profiles-page";
import { TokensPage } from "./pages/tokens-page";

const hi = [{ role: "user" as const, content: "hi" }];

test("an OpenAI SDK client on a profile: the first entry's 429 is answered by the second entry", async ({ page, account, baseURL }) => {
  const origin = baseURL!.replace(/\/+$/, "");
  await signUp(page, account);
  const openaiKey = emulatorKey("valid");
  const deepseekKey = emulatorKey("valid", "sk-");
  const ours = new Set([`Bearer ${openaiKey}`, `Bearer ${deepseekKey}`]);
  const models = new ModelsPage(page);
  await models.fill("OpenAI", { key: openaiKey, host: models.host("openai"), model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");
  await models.fill("DeepSeek", { key: deepseekKey, host: models.host("deepseek"), model: "deepseek-chat" });
  await models.save("DeepSeek");
  await models.expectStatus("DeepSeek", "Valid");

  const profiles = new ProfilesPage(page);
  await profiles.goto();
  await profiles.create("coder");
  await profiles.addModel("coder", "OpenAI — Personal · gpt-4o-mini", "gpt-4o-ratelimit");
  await profiles.addModel("coder", "DeepSeek — Personal · deepseek-chat");
  const token = await new TokensPage(page).create("failover agent");
  // DeepSeek's card goes gateway-only: its config answer then names the credential (…/gateway/<id>).
  await models.goto();
  await models.card("DeepSeek").getByRole("radio", { name: "Gateway only (the key never leaves BYOK)" }).click();
  await expect(page.getByText("DeepSeek: agents now go through the gateway")).toBeVisible();
  const deepseekConfig = await page.request.get("/api/v1/config?provider=deepseek", { headers: { Authorization: `Bearer ${token}` } });
  const deepseekId = /\/api\/v1\/gateway\/([0-9a-f-]{36})$/.exec(((await deepseekConfig.json()) as { apiHost: string }).apiHost)![1]!;
  const since = Date.now();
  const client = new OpenAI({ baseURL: `${origin}/api/v1/gateway/profile/coder`, apiKey: token, maxRetries: 0 });
  const { data, response } = await client.chat.completions.create({ model: "the-agent-s-choice", messages: hi }).withResponse();
  expect(response.status).toBe(200);
  expect(data.choices[0]?.message.content).toBeTruthy();
  expect(response.headers.get("x-byok-credential")).toBe(deepseekId);
  expect(response.headers.get("x-byok-model")).toBe("deepseek-chat");
  expect(response.headers.get("x-byok-attempts")).toBe("2");

  // The emulator saw the OpenAI entry (its key, its model: 429), then DeepSeek's; never the token.
  const calls = (await emulatorRequests()).filter(
    (r) => r.at >= since && r.path.endsWith("/chat/completions") && ours.has(r.headers.authorization ?? ""),
  );
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
  const direct = new OpenAI({ baseURL: `${origin}/api/v1/gateway/${deepseekId}`, apiKey: token, maxRetries: 0 });
  const plain = await direct.chat.completions.create({ model: "deepseek-chat", messages: hi }).withResponse();
  expect(plain.response.status).toBe(200);
  expect(plain.response.headers.get("x-byok-credential")).toBeNull();
  // An unknown profile is BYOK's 404.
  const missing = await fetch(`${origin}/api/v1/gateway/profile/nope/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "x", messages: hi }),
  });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: "profile_not_found" } });
});
