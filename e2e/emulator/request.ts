/** Reading what came in: body, headers as received, credentials, JSON. */
import type { IncomingMessage } from "node:http";

/** Lower-cased names, values as received; a repeated header is joined with ", ". */
export function headersOf(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

/** The body as UTF-8, or null when it is longer than `limit` bytes. */
export function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** `Authorization: Bearer <key>` → key; anything else (absent, empty, other scheme) → undefined. */
export function bearerKey(headers: Record<string, string>): string | undefined {
  const match = /^\s*bearer\s+(.*?)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1] ? match[1] : undefined;
}

/** A plain header credential (`x-api-key`, `api-key`); empty → undefined. */
export function headerKey(headers: Record<string, string>, name: string): string | undefined {
  const value = headers[name.toLowerCase()]?.trim();
  return value ? value : undefined;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false };

export function parseJson(body: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Decodes one path segment; undefined when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
