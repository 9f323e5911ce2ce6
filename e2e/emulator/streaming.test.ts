/** Streaming over real HTTP: OpenAI-style SSE, Anthropic events, Bedrock's event stream, plans, connection tracking. */
import aws4 from "aws4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { emulatorSecret } from "./providers/bedrock";
import { eventStreamMessages, sseEvents } from "./streaming/client";
import { encodeEvent, EventStreamDecoder } from "./streaming/event-stream";
import { SENT_AT } from "./streaming/sse";
import { call } from "./test-client";

let emulator: Emulator;
const host = (provider: string) => emulatorApiHost(emulator.url, provider);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.clearConnections());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(url: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), signal });
}

async function sse(res: Response): Promise<{ event?: string; data: string; receivedAt: number }[]> {
  const events = [];
  for await (const event of sseEvents(res.body!)) events.push(event);
  return events;
}

const hi = [{ role: "user", content: "hi" }];

describe("OpenAI-style streaming", () => {
  it("streams a chat completion in chunks, then usage, then [DONE]", async () => {
    const res = await post(
      `${host("openai")}/chat/completions`,
      { model: "gpt-4o-mini", messages: hi, stream: true, stream_options: { include_usage: true } },
      { authorization: "Bearer sk-valid-1" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await sse(res);
    expect(events.at(-1)!.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as Json);
    expect(chunks.every((chunk) => typeof chunk[SENT_AT] === "number" && chunk.object === "chat.completion.chunk")).toBe(true);
    const text = chunks.flatMap((chunk) => chunk.choices.map((choice: Json) => choice.delta.content ?? "")).join("");
    expect(text).toBe("OK. This is the emulator.");
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 8 });
  });

  it("leaves usage out of a stream that did not ask for it", async () => {
    const res = await post(
      `${host("deepseek")}/chat/completions`,
      { model: "deepseek-chat", messages: hi, stream: true },
      { authorization: "Bearer sk-valid-1" },
    );
    const chunks = (await sse(res)).slice(0, -1).map((event) => JSON.parse(event.data) as Json);
    expect(chunks.some((chunk) => "usage" in chunk)).toBe(false);
  });

  it("paces a planned stream: N numbered words, interval apart, send time in each", async () => {
    const res = await post(
      `${host("openai")}/chat/completions`,
      { model: "gpt-4o-mini:stream-5x20ms", messages: hi, stream: true },
      { authorization: "Bearer sk-valid-1" },
    );
    const events = (await sse(res)).slice(0, -1).map((event) => ({ ...event, chunk: JSON.parse(event.data) as Json }));
    const content = events.filter((event) => event.chunk.choices[0]?.delta.content);
    expect(content.map((event) => event.chunk.choices[0].delta.content)).toEqual(["w1", " w2", " w3", " w4", " w5"]);
    const sent = content.map((event) => event.chunk[SENT_AT] as number);
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(15);
    for (const event of content) expect(event.receivedAt).toBeGreaterThanOrEqual(event.chunk[SENT_AT]);
    expect(content[0]!.chunk.model).toBe("gpt-4o-mini");
  });

  it("takes the plan from a header, and answers a planned non-streaming call with the words and usage", async () => {
    const res = await call(host("qwen"), "/chat/completions", {
      key: "sk-valid-1",
      body: { model: "qwen-plus", messages: hi },
      headers: { "x-emulator-stream": "3x0ms" },
    });
    expect(res.status).toBe(200);
    expect((res.json as Json).choices[0].message.content).toBe("w1 w2 w3");
    expect((res.json as Json).usage.completion_tokens).toBe(3);
    const at = await call(host("qwen"), "/chat/completions", {
      key: "sk-valid-1",
      body: { model: "qwen-plus@stream-2x0ms", messages: hi },
    });
    expect((at.json as Json).choices[0].message.content).toBe("w1 w2");
  });

  it("streams Azure deployments (plan in the deployment name) and the v1 form", async () => {
    const classic = await post(
      `${host("azure")}/openai/deployments/my-gpt4o:stream-3x1ms/chat/completions?api-version=2024-10-21`,
      { messages: hi, stream: true },
      { "api-key": "az-valid-1" },
    );
    expect(classic.status).toBe(200);
    const words = (await sse(classic))
      .slice(0, -1)
      .flatMap((event) => (JSON.parse(event.data) as Json).choices.map((c: Json) => c.delta.content ?? ""));
    expect(words.join("")).toBe("w1 w2 w3");
    const v1 = await post(
      `${host("azure")}/openai/v1/chat/completions`,
      { model: "my-gpt4o-mini", messages: hi, stream: true },
      { "api-key": "az-valid-1" },
    );
    expect((await sse(v1)).at(-1)!.data).toBe("[DONE]");
  });

  it("streams Gemini, OpenRouter and MiniMax too, and keeps errors as JSON", async () => {
    const gemini = await post(
      `${host("gemini")}/chat/completions`,
      { model: "gemini-2.0-flash", messages: hi, stream: true },
      { authorization: "Bearer AIza-valid-1" },
    );
    expect((await sse(gemini)).at(-1)!.data).toBe("[DONE]");
    const router = await post(
      `${host("openrouter")}/chat/completions`,
      { model: "openai/gpt-4o", messages: hi, stream: true },
      { authorization: "Bearer sk-or-valid-1" },
    );
    expect((await sse(router)).at(-1)!.data).toBe("[DONE]");
    const minimax = await post(
      `${host("minimax")}/chat/completions`,
      { model: "MiniMax-Text-01", messages: hi, stream: true },
      { authorization: "Bearer mm-valid-1" },
    );
    expect((await sse(minimax)).at(-1)!.data).toBe("[DONE]");
    const bad = await post(
      `${host("openai")}/chat/completions`,
      { model: "gpt-4o", messages: hi, stream: true },
      { authorization: "Bearer sk-bad-1" },
    );
    expect(bad.status).toBe(401);
    expect(bad.headers.get("content-type")).toContain("application/json");
  });

  it("answers completions, responses (streamed too), embeddings with usage, and GET /files", async () => {
    const auth = { key: "sk-valid-1" };
    const completion = await call(host("openai"), "/completions", { ...auth, body: { model: "gpt-4o-mini", prompt: "hi" } });
    expect(completion.json).toMatchObject({ object: "text_completion", usage: { completion_tokens: 5 } });
    const response = await call(host("openai"), "/responses", { ...auth, body: { model: "gpt-4o-mini", input: "hi" } });
    expect(response.json).toMatchObject({ object: "response", output_text: "OK. This is the emulator.", usage: { output_tokens: 5 } });
    const streamed = await post(
      `${host("openai")}/responses`,
      { model: "gpt-4o-mini", input: "hi", stream: true },
      { authorization: "Bearer sk-valid-1" },
    );
    const events = await sse(streamed);
    expect(events.map((event) => event.event)).toContain("response.output_text.delta");
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ type: "response.completed", response: { usage: { output_tokens: 5 } } });
    const embedding = await call(host("openai"), "/embeddings", { ...auth, body: { model: "text-embedding-3-small", input: ["a", "b"] } });
    expect((embedding.json as Json).data).toHaveLength(2);
    expect((embedding.json as Json).usage.prompt_tokens).toBeGreaterThan(0);
    expect((await call(host("openai"), "/models/gpt-4o", auth)).status).toBe(200);
    expect((await call(host("openai"), "/files", auth)).status).toBe(200);
  });
});

describe("Anthropic streaming", () => {
  const headers = { "x-api-key": "sk-ant-valid-1", "anthropic-version": "2023-06-01" };

  it("streams message_start … message_stop with usage, and counts tokens", async () => {
    const res = await post(
      `${host("anthropic")}/v1/messages`,
      { model: "claude-haiku-4-5:stream-4x1ms", max_tokens: 64, messages: hi, stream: true },
      headers,
    );
    const events = await sse(res);
    expect(events.map((event) => event.event)).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const data = events.map((event) => JSON.parse(event.data) as Json);
    expect(data[0]!.message.usage.input_tokens).toBeGreaterThan(0);
    expect(
      data
        .filter((d) => d.type === "content_block_delta")
        .map((d) => d.delta.text)
        .join(""),
    ).toBe("w1 w2 w3 w4");
    expect(data.at(-2)).toMatchObject({ delta: { stop_reason: "end_turn" }, usage: { output_tokens: 4 } });
    const count = await call(host("anthropic"), "/v1/messages/count_tokens", {
      body: { model: "claude-haiku-4-5", messages: hi },
      headers,
    });
    expect(count.status).toBe(200);
    expect((count.json as Json).input_tokens).toBeGreaterThan(0);
  });
});

describe("Bedrock event stream", () => {
  it("round-trips a message, and rejects a corrupted one", () => {
    const bytes = encodeEvent("messageStop", { stopReason: "end_turn" });
    const decoder = new EventStreamDecoder();
    expect(decoder.push(bytes.subarray(0, 10))).toEqual([]);
    const [message] = decoder.push(bytes.subarray(10));
    expect(message!.headers).toEqual({ ":event-type": "messageStop", ":content-type": "application/json", ":message-type": "event" });
    expect(JSON.parse(message!.payload.toString())).toEqual({ stopReason: "end_turn" });
    const broken = Buffer.from(bytes);
    broken[broken.length - 6]! ^= 1;
    expect(() => new EventStreamDecoder().push(broken)).toThrow(/CRC/);
  });

  it("streams ConverseStream to a SigV4-signed call, and refuses an unsigned one", async () => {
    const path = `/bedrock/model/${encodeURIComponent("amazon.nova-micro-v1:0:stream-3x1ms")}/converse-stream`;
    const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }] });
    const url = new URL(`${emulator.url}${path}`);
    const accessKeyId = "AKIAVALIDSTREAM1";
    const signed = aws4.sign(
      {
        host: url.host,
        path,
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        service: "bedrock",
        region: "us-east-1",
      },
      { accessKeyId, secretAccessKey: emulatorSecret(accessKeyId) },
    );
    const headers = Object.fromEntries(
      Object.entries(signed.headers ?? {})
        .filter(([name]) => name.toLowerCase() !== "host")
        .map(([n, v]) => [n, String(v)]),
    );
    const res = await fetch(url, { method: "POST", headers, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const messages = [];
    for await (const message of eventStreamMessages(res.body!))
      messages.push({ type: message.headers[":event-type"], payload: JSON.parse(message.payload.toString()) as Json });
    expect(messages.map((m) => m.type)).toEqual([
      "messageStart",
      "contentBlockDelta",
      "contentBlockDelta",
      "contentBlockDelta",
      "contentBlockStop",
      "messageStop",
      "metadata",
    ]);
    expect(
      messages
        .filter((m) => m.type === "contentBlockDelta")
        .map((m) => m.payload.delta.text)
        .join(""),
    ).toBe("w1 w2 w3");
    expect(messages.at(-1)!.payload.usage).toMatchObject({ outputTokens: 3 });
    const unsigned = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(unsigned.status).toBe(403);
  });

  it("answers Converse with usage for a Bedrock API key", async () => {
    const res = await call(`${emulator.url}/bedrock`, `/model/${encodeURIComponent("amazon.nova-micro-v1:0")}/converse`, {
      key: "ABSK-valid-1",
      body: { messages: [{ role: "user", content: [{ text: "hi" }] }] },
    });
    expect(res.status).toBe(200);
    expect((res.json as Json).usage).toMatchObject({ outputTokens: 8 });
  });
});

describe("connection tracking", () => {
  it("reports a stream the client closed before it was complete, when, and how far it got", async () => {
    const controller = new AbortController();
    const res = await post(
      `${host("openai")}/chat/completions`,
      { model: "gpt-4o-mini:stream-100x10ms", messages: hi, stream: true },
      { authorization: "Bearer sk-valid-1" },
      controller.signal,
    );
    let seen = 0;
    const abortedAt = performance.timeOrigin + performance.now();
    try {
      for await (const _event of sseEvents(res.body!)) if (++seen === 3) controller.abort();
    } catch {
      // The abort ends the read.
    }
    await expect.poll(async () => ((await call(emulator.url, "/__emulator/connections")).json as Json).closedEarly.length).toBe(1);
    const report = emulator.connections();
    expect(report.closedEarly[0]).toMatchObject({ provider: "openai", method: "POST" });
    expect(report.closedEarly[0]!.framesSent).toBeLessThan(50);
    expect(report.closedEarly[0]!.closedAt - abortedAt).toBeLessThan(1000);
    expect(report.open).toBe(0);
    await call(emulator.url, "/__emulator/connections", { method: "DELETE" });
    expect(emulator.connections().closedEarly).toEqual([]);
  });

  it("counts completed responses", async () => {
    await call(host("openai"), "/models", { key: "sk-valid-1" });
    expect(emulator.connections()).toMatchObject({ completed: 1, closedEarly: [] });
  });
});
