/**
 * The agent's request body: read with a byte count (413 past MAX_REQUEST_BYTES, whatever
 * Content-Length says), then, for JSON, the model named in it and, for an OpenAI-style streaming
 * request that did not ask for usage, `stream_options.include_usage` added.
 */
import "server-only";
import { AppError } from "@/lib/errors";
import { tooCostlyToParse } from "@/lib/providers/json-cost";

/** Largest request body forwarded: 32 MiB. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

const tooLarge = () => new AppError("payload_too_large", "The request body is larger than 32 MiB.");

/** Reads the body, refusing it as soon as it passes the cap. Undefined when there is none. */
export async function readRequestBody(request: Request): Promise<Buffer | undefined> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BYTES) throw tooLarge();
  if (!request.body) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_REQUEST_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return size === 0 ? undefined : Buffer.concat(chunks, size);
}

export type PreparedBody = { body: Buffer | undefined; model: string | null; stream: boolean };

/** A request body parsed once, to be prepared for each upstream it is sent to (profile failover). */
export type ParsedBody = { raw: Buffer | undefined; value: Record<string, unknown> | null; model: string | null; stream: boolean };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON object in a body, its model and stream flag; `value` is null for a body that is not JSON, or too costly to parse. */
export function parseBody(body: Buffer | undefined, contentType: string | null): ParsedBody {
  const opaque = { raw: body, value: null, model: null, stream: false };
  if (!body || !/\bjson\b/i.test(contentType ?? "application/json")) return opaque;
  const text = body.toString("utf8");
  if (tooCostlyToParse(text)) return opaque;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return opaque;
  }
  if (!isRecord(value)) return opaque;
  const model = typeof value.model === "string" && value.model.length <= 256 ? value.model : null;
  return { raw: body, value, model, stream: value.stream === true };
}

/**
 * The body to send: with `model` as its `model` when given (a profile entry's), and asking for
 * usage where `askUsage`. Re-serialized only when something changed; `parsed` is never modified.
 */
export function bodyFor(parsed: ParsedBody, askUsage: boolean, model?: string | null): PreparedBody {
  const { value, stream } = parsed;
  if (!value) return { body: parsed.raw, model: parsed.model, stream };
  let out: Record<string, unknown> | null = null;
  if (typeof model === "string" && value.model !== model) out = { ...value, model };
  if (askUsage && stream) {
    const options = isRecord(value.stream_options) ? value.stream_options : {};
    // A client that said `false` keeps its choice (and its stream goes unmetered).
    if (options.include_usage === undefined) out = { ...(out ?? value), stream_options: { ...options, include_usage: true } };
  }
  const sentModel = typeof model === "string" ? model : parsed.model;
  return { body: out ? Buffer.from(JSON.stringify(out)) : parsed.raw, model: sentModel, stream };
}

/**
 * The model and stream flag of a JSON body, and the body to send (rewritten only to ask for
 * usage). A body that is not JSON, or too costly to parse, goes as is.
 */
export function prepareBody(body: Buffer | undefined, contentType: string | null, askUsage: boolean): PreparedBody {
  return bodyFor(parseBody(body, contentType), askUsage);
}
