/**
 * Token usage read from a response as it passes through the gateway, chunk by chunk, in bounded
 * memory: nothing here holds more than a few dozen KiB per response, whatever the provider sends.
 * Three readers: a JSON body (the `usage` object, looked for in the body's head and tail), an SSE
 * stream (OpenAI-style `usage` in any chunk, Anthropic `message_start` / `message_delta`) and AWS's
 * binary event stream (./event-stream.ts).
 */
import "server-only";
import { tooCostlyToParse } from "@/lib/providers/json-cost";

export type Usage = { inputTokens: number | null; outputTokens: number | null };

/** Fed every chunk of a response body, in order; `result()` once the body has ended (or stopped). */
export interface UsageReader {
  push(chunk: Uint8Array): void;
  result(): Usage;
}

export type UsageFormat = "json" | "sse" | "aws-event-stream" | "none";

/** Longest SSE line (or JSON window) inspected; longer lines are skipped unread. */
export const MAX_USAGE_LINE = 64 * 1024;
/** How much of a JSON body's start and end is kept to find its `usage`. */
export const JSON_WINDOW = 32 * 1024;

const USAGE_KEY = /"usage"\s*:\s*\{/;

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 2 ** 31 - 1 ? Math.floor(value) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Input and output tokens of one usage object, in any provider's spelling: OpenAI's
 * prompt/completion_tokens, Anthropic's and the Responses API's input/output_tokens (Anthropic's
 * cache reads and writes are input too), Bedrock's inputTokens/outputTokens and its
 * invocation metrics' inputTokenCount/outputTokenCount.
 */
export function usageOf(value: unknown): Partial<Usage> {
  if (!isRecord(value)) return {};
  const out: Partial<Usage> = {};
  const input = count(value.prompt_tokens) ?? count(value.input_tokens) ?? count(value.inputTokens) ?? count(value.inputTokenCount);
  if (input !== null) {
    const cached = (count(value.cache_creation_input_tokens) ?? 0) + (count(value.cache_read_input_tokens) ?? 0);
    out.inputTokens = input + cached;
  }
  const output = count(value.completion_tokens) ?? count(value.output_tokens) ?? count(value.outputTokens) ?? count(value.outputTokenCount);
  if (output !== null) out.outputTokens = output;
  return out;
}

/** The usage objects one parsed event or body may carry, in the order to apply them. */
function candidates(value: unknown): unknown[] {
  if (!isRecord(value)) return [];
  const message = isRecord(value.message) ? value.message : undefined;
  const response = isRecord(value.response) ? value.response : undefined;
  return [message?.usage, response?.usage, value.usage, value["amazon-bedrock-invocationMetrics"]];
}

/** Accumulates usage: a later report overrides an earlier one field by field (Anthropic's deltas). */
export class UsageTally {
  private usage: Usage = { inputTokens: null, outputTokens: null };

  /** Applies what a parsed JSON value reports, if anything. */
  note(value: unknown): void {
    for (const candidate of candidates(value)) this.merge(usageOf(candidate));
  }

  merge(part: Partial<Usage>): void {
    if (part.inputTokens !== undefined) this.usage.inputTokens = part.inputTokens;
    if (part.outputTokens !== undefined) this.usage.outputTokens = part.outputTokens;
  }

  /** Parses `text` (bounded by the caller) when it may hold usage and is cheap to parse. */
  noteText(text: string): void {
    if (!USAGE_KEY.test(text) && !text.includes("invocationMetrics")) return;
    if (tooCostlyToParse(text)) return;
    try {
      this.note(JSON.parse(text));
    } catch {
      // Not JSON: nothing to count.
    }
  }

  get result(): Usage {
    return { ...this.usage };
  }
}

/** Splits a byte stream into lines (LF or CRLF), dropping any line longer than MAX_USAGE_LINE. */
export class LineSplitter {
  private decoder = new TextDecoder("utf-8");
  private partial = "";
  private skipping = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  end(): void {
    this.feed(this.decoder.decode());
    if (!this.skipping && this.partial) this.onLine(this.partial);
    this.partial = "";
  }

  private feed(text: string): void {
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (this.skipping) {
        this.skipping = false;
        this.partial = "";
        continue;
      }
      const line = this.partial + piece;
      this.partial = "";
      if (line.length <= MAX_USAGE_LINE) this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    }
    if (this.skipping) return;
    this.partial += text.slice(start);
    if (this.partial.length > MAX_USAGE_LINE) {
      this.partial = "";
      this.skipping = true;
    }
  }
}

/** SSE: every `data:` line that mentions usage is parsed (Anthropic's events are all one line). */
export function sseUsageReader(): UsageReader {
  const tally = new UsageTally();
  const lines = new LineSplitter((line) => {
    if (!line.startsWith("data:")) return;
    tally.noteText(line.slice(5).trimStart());
  });
  return {
    push: (chunk) => lines.push(chunk),
    result: () => {
      lines.end();
      return tally.result;
    },
  };
}

/**
 * A JSON body: its first and last JSON_WINDOW bytes are kept, and the last `"usage":{…}` object
 * found in them (balanced braces, strings skipped) is parsed alone.
 */
export function jsonUsageReader(): UsageReader {
  const head: Buffer[] = [];
  let headSize = 0;
  // The last JSON_WINDOW bytes after the head, in a ring (allocated once the head is full).
  let ring: Buffer | undefined;
  let ringEnd = 0;
  let ringFilled = 0;
  let total = 0;
  return {
    push(chunk) {
      total += chunk.byteLength;
      let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (headSize < JSON_WINDOW) {
        // Copied: the caller's chunk goes on to the client.
        const take = Buffer.from(bytes.subarray(0, JSON_WINDOW - headSize));
        head.push(take);
        headSize += take.length;
        bytes = bytes.subarray(take.length);
      }
      if (bytes.length === 0) return;
      ring ??= Buffer.alloc(JSON_WINDOW);
      if (bytes.length > JSON_WINDOW) bytes = bytes.subarray(-JSON_WINDOW);
      const first = Math.min(bytes.length, JSON_WINDOW - ringEnd);
      bytes.copy(ring, ringEnd, 0, first);
      bytes.copy(ring, 0, first);
      ringEnd = (ringEnd + bytes.length) % JSON_WINDOW;
      ringFilled = Math.min(JSON_WINDOW, ringFilled + bytes.length);
    },
    result() {
      const tally = new UsageTally();
      const last = !ring
        ? Buffer.alloc(0)
        : ringFilled < JSON_WINDOW
          ? ring.subarray(0, ringFilled)
          : Buffer.concat([ring.subarray(ringEnd), ring.subarray(0, ringEnd)]);
      // Without a gap between them, head and tail are one text.
      const whole = total <= headSize + last.length;
      const texts = whole
        ? [Buffer.concat([...head, last]).toString("utf8")]
        : [Buffer.concat(head).toString("utf8"), last.toString("utf8")];
      for (const text of texts) {
        const object = lastUsageObject(text);
        if (object) tally.noteText(`{"usage":${object}}`);
      }
      return tally.result;
    },
  };
}

/** The text of the last `"usage": {…}` object in `text`, or null. */
export function lastUsageObject(text: string): string | null {
  const matches = [...text.matchAll(/"usage"\s*:\s*\{/g)];
  // The last few only: each try may scan to the end, and a hostile body repeats the key.
  for (let m = matches.length - 1; m >= Math.max(0, matches.length - 3); m--) {
    const match = matches[m]!;
    const open = match.index + match[0].length - 1;
    let depth = 0;
    let inString = false;
    for (let i = open; i < text.length && i - open < MAX_USAGE_LINE; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) return text.slice(open, i + 1);
    }
  }
  return null;
}
