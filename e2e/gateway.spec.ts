/**
 * The gateway with real clients: an org admin adds OpenAI, Anthropic, DeepSeek, Azure and Bedrock
 * cards (org credentials are gateway-only by default); a member's agent, configured only from its
 * token's config answer, calls through BYOK with the official `openai` and `@anthropic-ai/sdk`
 * clients and with plain HTTP. Answers and streamed chunks arrive intact and in order; the emulator
 * sees the stored key, never the agent token; the agent sees the key nowhere; `files` is refused
 * before the provider; cancelling a stream closes the upstream connection; a removed member's next
 * call is refused.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { eventStreamMessages, sseEvents } from "./emulator/streaming/client";
import { SENT_AT } from "./emulator/streaming/sse";
import { expect, test } from "./fixtures";
import { fetchConfig } from "./config-client";
import {
  emulatorConnections,
  emulatorRequests,
  GATEWAY_CARDS,
  removeMember,
  secretValues,
  setUpGatewayOrg,
  type GatewayOrg,
  type GatewayProvider,
} from "./gateway-setup";

type Config = { delivery: string; apiHost: string; apiKey: string; model: string; extra: Record<string, string> };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test.describe.configure({ mode: "serial" });

let org: GatewayOrg;
const configs = {} as Record<GatewayProvider, Config>;
/** Everything the member's agent received (bodies, headers, error texts), scanned for the keys at the end. */
const seenByAgent: string[] = [];
const words = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? "w1" : ` w${i + 1}`));
const hi = [{ role: "user" as const, content: "hi" }];

async function agentFetch(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  seenByAgent.push(`${res.status} ${JSON.stringify([...res.headers])}`);
  return res;
}

async function agentJson(url: string, init: RequestInit): Promise<{ status: number; body: Json }> {
  const res = await agentFetch(url, init);
  const text = await res.text();
  seenByAgent.push(text);
  return { status: res.status, body: JSON.parse(text) as Json };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  org = await setUpGatewayOrg(browser);
  for (const provider of Object.keys(GATEWAY_CARDS) as GatewayProvider[]) {
    const res = await fetchConfig(org.member.request, org.token, `?provider=${provider}`);
    const text = await res.text();
    seenByAgent.push(text, JSON.stringify(res.headers()));
    expect(res.status(), text).toBe(200);
    configs[provider] = JSON.parse(text) as Config;
  }
});

test.afterAll(async () => {
  for (const context of org?.contexts ?? []) await context.close();
});

test("config answers point at the gateway and carry the agent's own token", async () => {
  for (const [provider, config] of Object.entries(configs)) {
    expect(config.delivery, provider).toBe("gateway");
    expect(config.apiHost, provider).toMatch(/\/api\/v1\/gateway\/[^/]+$/);
    expect(config.apiKey, provider).toBe(org.token);
    expect(Object.keys(config.extra ?? {}), provider).not.toEqual(expect.arrayContaining(["secretAccessKey"]));
  }
});

test("the openai SDK: a plain and a streaming chat call through the gateway", async () => {
  const client = new OpenAI({ baseURL: configs.openai.apiHost, apiKey: configs.openai.apiKey });
  const plain = await client.chat.completions.create({ model: "gpt-4o-mini", messages: hi });
  seenByAgent.push(JSON.stringify(plain));
  expect(plain.choices[0]!.message.content).toBe("OK. This is the emulator.");
  expect(plain.usage?.completion_tokens).toBe(8);

  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini:stream-20x5ms",
    messages: hi,
    stream: true,
    stream_options: { include_usage: true },
  });
  const pieces: string[] = [];
  const sentAt: number[] = [];
  let usage: unknown;
  for await (const chunk of stream) {
    seenByAgent.push(JSON.stringify(chunk));
    const content = chunk.choices[0]?.delta.content;
    if (content) pieces.push(content);
    sentAt.push((chunk as unknown as Json)[SENT_AT] as number);
    if (chunk.usage) usage = chunk.usage;
  }
  expect(pieces).toEqual(words(20));
  expect(sentAt).toEqual([...sentAt].sort((a, b) => a - b));
  expect(usage).toMatchObject({ completion_tokens: 20 });

  // The emulator saw the stored key on both calls, and never the agent token.
  const key = org.secrets.openai["API Key"]!;
  const calls = (await emulatorRequests()).filter((r) => r.headers.authorization === `Bearer ${key}`);
  expect(calls.map((r) => r.path)).toEqual(expect.arrayContaining(["/openai/v1/chat/completions"]));
  expect(calls.filter((r) => r.path === "/openai/v1/chat/completions").length).toBeGreaterThanOrEqual(2);
});

test("the anthropic SDK: a plain and a streaming message through the gateway", async () => {
  const client = new Anthropic({ baseURL: configs.anthropic.apiHost, apiKey: configs.anthropic.apiKey });
  const plain = await client.messages.create({ model: "claude-haiku-4-5", max_tokens: 64, messages: hi });
  seenByAgent.push(JSON.stringify(plain));
  expect(plain.content).toEqual([{ type: "text", text: "OK. This is the emulator." }]);
  expect(plain.usage.output_tokens).toBe(8);

  const stream = await client.messages.create({ model: "claude-haiku-4-5:stream-12x5ms", max_tokens: 64, messages: hi, stream: true });
  const types: string[] = [];
  const pieces: string[] = [];
  for await (const event of stream) {
    seenByAgent.push(JSON.stringify(event));
    types.push(event.type);
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") pieces.push(event.delta.text);
    if (event.type === "message_delta") expect(event.usage.output_tokens).toBe(12);
  }
  expect(pieces).toEqual(words(12));
  expect(types[0]).toBe("message_start");
  expect(types.at(-1)).toBe("message_stop");

  const key = org.secrets.anthropic["API Key"]!;
  const calls = (await emulatorRequests()).filter((r) => r.headers["x-api-key"] === key);
  expect(calls.filter((r) => r.path === "/anthropic/v1/messages").length).toBeGreaterThanOrEqual(2);
  expect(calls.every((r) => r.headers["anthropic-version"])).toBe(true);
});

test("plain HTTP: DeepSeek, Azure (deployment form) and Bedrock (converse, converse-stream)", async () => {
  const bearer = { authorization: `Bearer ${org.token}`, "content-type": "application/json" };
  const deepseek = await agentJson(`${configs.deepseek.apiHost}/chat/completions`, {
    method: "POST",
    headers: bearer,
    body: JSON.stringify({ model: "deepseek-chat", messages: hi }),
  });
  expect(deepseek.status).toBe(200);
  expect(deepseek.body.choices[0].message.content).toBe("OK. This is the emulator.");
  const deepseekStream = await agentFetch(`${configs.deepseek.apiHost}/chat/completions`, {
    method: "POST",
    headers: bearer,
    body: JSON.stringify({ model: "deepseek-chat:stream-10x2ms", messages: hi, stream: true }),
  });
  const deepseekPieces: string[] = [];
  for await (const event of sseEvents(deepseekStream.body!)) {
    seenByAgent.push(event.data);
    if (event.data !== "[DONE]") deepseekPieces.push((JSON.parse(event.data) as Json).choices[0]?.delta.content ?? "");
  }
  expect(deepseekPieces.join("")).toBe(words(10).join(""));

  const { apiVersion, deploymentName } = configs.azure.extra;
  const azureUrl = (deployment: string) =>
    `${configs.azure.apiHost}/openai/deployments/${deployment}/chat/completions?api-version=${apiVersion}`;
  const azureHeaders = { "api-key": org.token, "content-type": "application/json" };
  const azure = await agentJson(azureUrl(deploymentName!), {
    method: "POST",
    headers: azureHeaders,
    body: JSON.stringify({ messages: hi }),
  });
  expect(azure.status).toBe(200);
  expect(azure.body.choices[0].message.content).toBe("OK. This is the emulator.");
  const azureStream = await agentFetch(azureUrl(`${deploymentName}:stream-6x2ms`), {
    method: "POST",
    headers: azureHeaders,
    body: JSON.stringify({ messages: hi, stream: true }),
  });
  const azurePieces: string[] = [];
  for await (const event of sseEvents(azureStream.body!)) {
    seenByAgent.push(event.data);
    if (event.data !== "[DONE]") azurePieces.push((JSON.parse(event.data) as Json).choices[0]?.delta.content ?? "");
  }
  expect(azurePieces.join("")).toBe(words(6).join(""));
  expect((await emulatorRequests()).some((r) => r.headers["api-key"] === org.secrets.azure["API Key"])).toBe(true);

  const model = GATEWAY_CARDS.bedrock.model;
  const converse = await agentJson(`${configs.bedrock.apiHost}/model/${encodeURIComponent(model)}/converse`, {
    method: "POST",
    headers: bearer,
    body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }),
  });
  expect(converse.status).toBe(200);
  expect(converse.body.output.message.content[0].text).toBe("OK. This is the emulator.");
  expect(converse.body.usage.outputTokens).toBe(8);
  const streamed = await agentFetch(`${configs.bedrock.apiHost}/model/${encodeURIComponent(`${model}:stream-8x2ms`)}/converse-stream`, {
    method: "POST",
    headers: bearer,
    body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] }),
  });
  expect(streamed.status).toBe(200);
  expect(streamed.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
  const events: { type: string; payload: Json }[] = [];
  for await (const message of eventStreamMessages(streamed.body!)) {
    const payload = message.payload.toString("utf8");
    seenByAgent.push(payload);
    events.push({ type: message.headers[":event-type"]!, payload: JSON.parse(payload) as Json });
  }
  expect(events.filter((e) => e.type === "contentBlockDelta").map((e) => e.payload.delta.text)).toEqual(words(8));
  expect(events.at(-1)).toMatchObject({ type: "metadata", payload: { usage: { outputTokens: 8 } } });
  // Bedrock was reached with SigV4 made from the stored access key.
  const accessKeyId = org.secrets.bedrock["Access Key ID"]!;
  const signed = (await emulatorRequests()).filter(
    (r) => r.provider === "bedrock" && r.headers.authorization?.includes(`Credential=${accessKeyId}/`),
  );
  expect(signed.map((r) => r.path.split("/").at(-1))).toEqual(expect.arrayContaining(["converse", "converse-stream"]));
});

test("files is refused before the provider; upstream errors come back without the key", async () => {
  const refused = await agentJson(`${configs.openai.apiHost}/files`, { headers: { authorization: `Bearer ${org.token}` } });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe("path_not_allowed");
  expect((await emulatorRequests()).some((r) => r.path.startsWith("/openai/v1/files"))).toBe(false);

  const missing = await agentJson(`${configs.openai.apiHost}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${org.token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-5x", messages: hi }),
  });
  expect(missing.status).toBe(404);
  expect(missing.body.error.code).toBe("model_not_found");
});

test("cancelling a stream closes the upstream connection", async () => {
  const client = new OpenAI({ baseURL: configs.openai.apiHost, apiKey: configs.openai.apiKey });
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    { model: "gpt-4o-mini:stream-200x20ms", messages: hi, stream: true },
    { signal: controller.signal },
  );
  let received = 0;
  let abortedAt = 0;
  const reading = (async () => {
    for await (const chunk of stream) {
      seenByAgent.push(JSON.stringify(chunk));
      if (++received === 5) {
        abortedAt = performance.timeOrigin + performance.now();
        controller.abort();
      }
    }
  })();
  // The SDK ends an aborted stream either quietly or with an abort error; chunks it had already
  // read off the socket in the same read may still be handed out after the abort.
  await reading.catch((error: unknown) => expect(String(error)).toMatch(/abort/i));
  expect(received).toBeGreaterThanOrEqual(5);
  expect(received).toBeLessThan(20);
  const key = org.secrets.openai["API Key"]!;
  await expect
    .poll(async () => (await emulatorConnections()).closedEarly.filter((entry) => entry.credential === key).length, { timeout: 5_000 })
    .toBe(1);
  const closed = (await emulatorConnections()).closedEarly.find((entry) => entry.credential === key)!;
  expect(closed.framesSent).toBeLessThan(100);
  expect(closed.closedAt - abortedAt).toBeLessThan(1_000);
});

test("a removed member's next gateway call is refused, and the agent never saw a key", async () => {
  await removeMember(org);
  const before = (await emulatorRequests()).length;
  const refused = await agentJson(`${configs.openai.apiHost}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${org.token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: hi }),
  });
  expect([401, 403, 404]).toContain(refused.status);
  expect(refused.body.error.code).toMatch(/^(unauthorized|forbidden|not_found)$/);
  const key = org.secrets.openai["API Key"]!;
  expect((await emulatorRequests()).slice(before).some((r) => r.headers.authorization === `Bearer ${key}`)).toBe(false);

  // The emulator never saw the agent token; the agent never saw a stored secret.
  const log = JSON.stringify(await emulatorRequests());
  expect(log.includes(org.token)).toBe(false);
  expect(seenByAgent.length).toBeGreaterThan(20);
  const everything = seenByAgent.join("\n");
  for (const secret of secretValues(org)) {
    expect.soft(everything.includes(secret), "a stored secret reached the agent").toBe(false);
    expect.soft(everything.includes(secret.slice(-12)), "a stored secret's tail reached the agent").toBe(false);
  }
});
