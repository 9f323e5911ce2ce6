import { describe, expect, it } from "vitest";
import { eventStreamUsageReader } from "./event-stream";
import { jsonUsageReader, MAX_USAGE_LINE, sseUsageReader, type UsageReader } from "./usage";

/** Feeds `bytes` split at every given boundary (and one byte at a time), expecting the same usage each way. */
function readAll(make: () => UsageReader, bytes: Buffer) {
  const results = [];
  for (const size of [1, 2, 3, 7, 64, bytes.length || 1]) {
    const reader = make();
    for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
    results.push(reader.result());
  }
  for (const result of results) expect(result).toEqual(results[0]);
  return results[0]!;
}

const sse = (events: unknown[], eventNames = false) =>
  Buffer.from(
    events.map((e, i) => `${eventNames ? `event: e${i}\r\n` : ""}data: ${typeof e === "string" ? e : JSON.stringify(e)}\r\n\r\n`).join(""),
  );

describe("usage readers", () => {
  it("OpenAI-style SSE: the last chunk's usage (with include_usage), [DONE] ignored", () => {
    const body = sse([
      { id: "1", choices: [{ delta: { content: "héllo ✓" } }], usage: null },
      { id: "1", choices: [], usage: { prompt_tokens: 12, completion_tokens: 34, total_tokens: 46 } },
      "[DONE]",
    ]);
    expect(readAll(sseUsageReader, body)).toEqual({ inputTokens: 12, outputTokens: 34 });
  });

  it("Responses API SSE: response.completed carries the usage", () => {
    const body = sse(
      [
        { type: "response.output_text.delta", delta: "x" },
        { type: "response.completed", response: { usage: { input_tokens: 5, output_tokens: 6 } } },
      ],
      true,
    );
    expect(readAll(sseUsageReader, body)).toEqual({ inputTokens: 5, outputTokens: 6 });
  });

  it("Anthropic SSE: input from message_start (cache included), output from the last message_delta", () => {
    const body = sse(
      [
        { type: "message_start", message: { id: "m", usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } } },
        { type: "content_block_delta", delta: { type: "text_delta", text: "usage: {" } },
        { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 42 } },
        { type: "message_stop" },
      ],
      true,
    );
    expect(readAll(sseUsageReader, body)).toEqual({ inputTokens: 15, outputTokens: 42 });
  });

  it("SSE: hostile input (no newline, huge lines, deep nesting, garbage) costs little and reports nothing", () => {
    const reader = sseUsageReader();
    const started = performance.now();
    reader.push(Buffer.from(`data: {"usage":{${"x".repeat(MAX_USAGE_LINE * 4)}`));
    reader.push(Buffer.from(`\ndata: ${"[".repeat(100_000)}"usage":{\n`));
    reader.push(Buffer.from(`data: {"usage":{"prompt_tokens":-1,"completion_tokens":"9"}}\n\n`));
    for (let i = 0; i < 200; i++) reader.push(Buffer.alloc(64 * 1024, 0x61));
    expect(reader.result()).toEqual({ inputTokens: null, outputTokens: null });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("JSON: usage at the end of a large body, and in a small one", () => {
    const big = Buffer.from(
      JSON.stringify({ choices: [{ message: { content: "a".repeat(300_000) } }], usage: { prompt_tokens: 7, completion_tokens: 8 } }),
    );
    expect(readAll(jsonUsageReader, big)).toEqual({ inputTokens: 7, outputTokens: 8 });
    const converse = Buffer.from(
      '{"output":{"message":{"content":[{"text":"hi"}]}},"usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7},"metrics":{"latencyMs":5}}',
    );
    expect(readAll(jsonUsageReader, converse)).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(readAll(jsonUsageReader, Buffer.from('{"data":[{"embedding":[0.1]}],"usage":{"prompt_tokens":9,"total_tokens":9}}'))).toEqual({
      inputTokens: 9,
      outputTokens: null,
    });
    expect(readAll(jsonUsageReader, Buffer.from("not json at all"))).toEqual({ inputTokens: null, outputTokens: null });
    const started = performance.now();
    const hostile = jsonUsageReader();
    hostile.push(Buffer.from('{"usage":{'.repeat(20_000)));
    expect(hostile.result()).toEqual({ inputTokens: null, outputTokens: null });
    expect(performance.now() - started).toBeLessThan(500);
  });
});

/** One AWS event-stream frame (CRCs zeroed: the reader does not check them). */
function frame(headers: Record<string, string>, payload: string | Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name);
    const v = Buffer.from(value);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(v.length);
    parts.push(Buffer.from([n.length]), n, Buffer.from([7]), length, v);
  }
  // A non-string header too (type 4, int32), which the reader must skip.
  parts.push(Buffer.from([3]), Buffer.from("num"), Buffer.from([4]), Buffer.alloc(4));
  const head = Buffer.concat(parts);
  const body = Buffer.from(payload);
  const total = 12 + head.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(head.length, 4);
  return Buffer.concat([prelude, head, body, Buffer.alloc(4)]);
}

const event = (type: string, payload: unknown) =>
  frame({ ":event-type": type, ":content-type": "application/json", ":message-type": "event" }, JSON.stringify(payload));

describe("AWS event stream usage", () => {
  it("Converse stream: the metadata event, after deltas and an oversized frame", () => {
    const body = Buffer.concat([
      event("messageStart", { role: "assistant" }),
      event("contentBlockDelta", { delta: { text: '"usage":{"inputTokens":999}' }, contentBlockIndex: 0 }),
      event("contentBlockDelta", { delta: { text: "x".repeat(300 * 1024) } }),
      event("messageStop", { stopReason: "end_turn" }),
      event("metadata", { usage: { inputTokens: 11, outputTokens: 22, totalTokens: 33 }, metrics: { latencyMs: 100 } }),
    ]);
    expect(readAll(eventStreamUsageReader, body)).toEqual({ inputTokens: 11, outputTokens: 22 });
  });

  it("InvokeModel stream: chunk bytes holding Anthropic events and invocation metrics", () => {
    const chunk = (value: unknown) => event("chunk", { bytes: Buffer.from(JSON.stringify(value)).toString("base64") });
    const body = Buffer.concat([
      chunk({ type: "message_start", message: { usage: { input_tokens: 4, output_tokens: 1 } } }),
      chunk({ type: "message_delta", usage: { output_tokens: 9 } }),
      chunk({ type: "message_stop", "amazon-bedrock-invocationMetrics": { inputTokenCount: 4, outputTokenCount: 9 } }),
    ]);
    expect(readAll(eventStreamUsageReader, body)).toEqual({ inputTokens: 4, outputTokens: 9 });
  });

  it("garbage and exceptions neither throw nor stall", () => {
    const reader = eventStreamUsageReader();
    reader.push(frame({ ":message-type": "exception", ":exception-type": "throttlingException" }, '{"usage":{"inputTokens":1}}'));
    reader.push(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]));
    reader.push(Buffer.alloc(1024 * 1024, 0xff));
    expect(reader.result()).toEqual({ inputTokens: null, outputTokens: null });
  });
});
