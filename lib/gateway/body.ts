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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The model and stream flag of a JSON body, and the body to send (rewritten only to ask for
 * usage). A body that is not JSON, or too costly to parse, goes as is.
 */
export function prepareBody(body: Buffer | undefined, contentType: string | null, askUsage: boolean): PreparedBody {
  if (!body || !/\bjson\b/i.test(contentType ?? "application/json")) return { body, model: null, stream: false };
  const text = body.toString("utf8");
  if (tooCostlyToParse(text)) return { body, model: null, stream: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { body, model: null, stream: false };
  }
  if (!isRecord(value)) return { body, model: null, stream: false };
  const model = typeof value.model === "string" && value.model.length <= 256 ? value.model : null;
  const stream = value.stream === true;
  if (askUsage && stream) {
    const options = isRecord(value.stream_options) ? value.stream_options : {};
    // A client that said `false` keeps its choice (and its stream goes unmetered).
    if (options.include_usage === undefined) {
      value.stream_options = { ...options, include_usage: true };
      return { body: Buffer.from(JSON.stringify(value)), model, stream };
    }
  }
  return { body, model, stream };
}
