/**
 * Pieces shared by adapters for OpenAI-style APIs (OpenAI, Qwen, DeepSeek, Gemini, OpenRouter,
 * Z.ai, OpenAI Compatible): URLs, headers, tolerant body parsing, error envelopes, messages.
 */
import "server-only";
import { tooCostlyToParse } from "../json-cost";
import { scanPrefix } from "../limits";
import { maskSecretsIn } from "../mask";

export { PROVIDER_SCAN_LIMIT, scanPrefix } from "../limits";

/** Longest provider message kept in a result. */
export const MAX_PROVIDER_MESSAGE = 300;

/**
 * A user-typed base URL, trimmed, without query and fragment, its path (trailing slashes
 * stripped) passed through `rewrite`. Not a URL: the input trimmed, without trailing slashes.
 */
export function rewriteBaseUrl(input: string, rewrite: (path: string) => string): string {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/\/+$/, "");
  }
  return `${url.protocol}//${url.host}${rewrite(url.pathname.replace(/\/+$/, ""))}`;
}

/**
 * Normalises a user-typed base URL: trims, strips trailing slashes, query and fragment, a pasted
 * `/chat/completions` or `/models` endpoint, and a repeated `/v1` (`…/v1/v1` → `…/v1`). A bare
 * origin gets `defaultPath` (e.g. `/v1` for OpenAI). Returns the input trimmed when it is not a URL.
 */
export function normalizeBaseUrl(input: string, defaultPath = ""): string {
  return rewriteBaseUrl(input, (trimmed) => {
    const path = trimmed.replace(/\/(chat\/completions|models)$/i, "").replace(/(\/v1)+$/i, "/v1");
    return path === "" && defaultPath ? defaultPath.replace(/\/+$/, "") : path;
  });
}

/**
 * Joins a normalised base URL and an endpoint path without doubling slashes or `/v1`
 * (`https://api.openai.com/v1` + `/v1/models` → `https://api.openai.com/v1/models`).
 */
export function apiUrl(base: string, path: string): string {
  const trimmedBase = base.replace(/\/+$/, "");
  let suffix = `/${path.replace(/^\/+/, "")}`;
  if (/\/v1$/i.test(trimmedBase) && /^\/v1(\/|$)/i.test(suffix)) suffix = suffix.slice(3);
  return `${trimmedBase}${suffix}`;
}

/** Host name of a URL for results and messages; the input itself when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url.slice(0, 100);
  }
}

/** JSON headers with `Authorization: Bearer <key>` (no Authorization when there is no key). */
export function bearerHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

// The last body parsed and its value: a classifier and the helpers it calls parse the same body
// two to four times, and a 1 MiB body costs milliseconds each time. One entry, kept only until the
// synchronous classification that parsed it is over (a provider's answer is not held in memory);
// parsed values are only ever read.
let lastParsed: { text: string; value: unknown } | undefined;
let forgetScheduled = false;

function remember(text: string, value: unknown): void {
  lastParsed = { text, value };
  if (forgetScheduled) return;
  forgetScheduled = true;
  queueMicrotask(() => {
    lastParsed = undefined;
    forgetScheduled = false;
  });
}

/**
 * Parses a body as JSON; undefined for empty, truncated, HTML, plain text or otherwise invalid
 * bodies, and for bodies JSON.parse would be slow on (see ../json-cost.ts). Never throws.
 */
export function parseJsonBody(text: string, truncated = false): unknown {
  if (truncated || !text || !/^\s*[[{"]/.test(scanPrefix(text))) return undefined;
  if (lastParsed?.text === text) return lastParsed.value;
  let value: unknown;
  try {
    value = tooCostlyToParse(text) ? undefined : (JSON.parse(text) as unknown);
  } catch {
    value = undefined;
  }
  remember(text, value);
  return value;
}

/** Whether a parsed JSON value is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A string or finite number from a provider's body as text to inspect: its first
 * PROVIDER_SCAN_LIMIT characters, trimmed; undefined when empty or of another type.
 */
export function providerText(value: unknown): string | undefined {
  if (typeof value === "string") return scanPrefix(value).trim() || undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The parts of a provider error envelope the classifiers read. */
export type ProviderErrorInfo = {
  message?: string;
  type?: string;
  /** Machine-readable code, numbers stringified (`"invalid_api_key"`, `"1211"`). */
  code?: string;
  param?: string;
};

/**
 * Reads an error out of a parsed body in any of the shapes OpenAI-style servers use:
 * `{error:{message,type,code,param}}`, `{error:"…"}`, `{message,code}`, `{detail:"…"}`, Google's
 * `{error:{code,message,status}}`, or an array holding one of these.
 */
export function extractError(body: unknown): ProviderErrorInfo {
  const root = Array.isArray(body) ? body.find(isRecord) : body;
  if (!isRecord(root)) return {};
  const error = root.error;
  if (typeof error === "string") return { message: providerText(error), code: providerText(root.code), type: providerText(root.type) };
  const source = isRecord(error) ? error : root;
  return {
    message: providerText(source.message) ?? providerText(source.msg) ?? providerText(root.detail) ?? providerText(root.message),
    type: providerText(source.type) ?? providerText(source.status),
    code: providerText(source.code),
    param: providerText(source.param),
  };
}

// `<title …>text</title>` in an HTML page: the first `<title` whose tag closes, followed by 1–200
// characters other than `<` and then `</title>` (any case). Linear: each `<title` tag shares the
// first `>` after it, so a failed candidate skips every `<title` up to that `>`.
function htmlTitle(page: string): string | undefined {
  const opening = /<title/gi;
  let found: RegExpExecArray | null;
  while ((found = opening.exec(page)) !== null) {
    const close = page.indexOf(">", found.index + 6);
    if (close === -1) return undefined;
    const end = page.indexOf("<", close + 1);
    if (end === -1) return undefined;
    const length = end - close - 1;
    if (length >= 1 && length <= 200 && page.slice(end, end + 8).toLowerCase() === "</title>") return page.slice(close + 1, end);
    opening.lastIndex = close + 1;
  }
  return undefined;
}

/**
 * `<title>` of an HTML page, or a plain-text body's start; undefined for empty, JSON or
 * binary-looking bodies. Only the body's first PROVIDER_SCAN_LIMIT characters are read.
 */
export function messageFromNonJson(text: string): string | undefined {
  const trimmed = scanPrefix(text).trim();
  if (!trimmed) return undefined;
  if (/^<(!doctype|html|head|body|\?xml)/i.test(trimmed) || /<\/(html|body|head)>/i.test(trimmed)) {
    const title = htmlTitle(trimmed);
    return title ? title.trim() : undefined;
  }
  if (/^[[{]/.test(trimmed)) return undefined;
  if (/[\u0000-\u0008\u000e-\u001f]/.test(trimmed.slice(0, 200))) return undefined;
  return trimmed.slice(0, 1000);
}

/**
 * The provider's message: the error envelope's, else (for a body that is not JSON) a page title or
 * text start. At most PROVIDER_SCAN_LIMIT characters, so the classifiers' patterns see bounded text.
 */
export function providerMessageOf(envelopeMessage: string | undefined, body: unknown, bodyText: string): string | undefined {
  if (envelopeMessage !== undefined) return scanPrefix(envelopeMessage);
  return body === undefined ? messageFromNonJson(bodyText) : undefined;
}

/**
 * A provider message made safe to store and show: secrets (and anything key-shaped) masked,
 * whitespace collapsed to one line, at most 300 characters.
 */
export function cleanProviderMessage(message: string | undefined, secrets: readonly string[]): string | undefined {
  if (!message) return undefined;
  // Mask before cutting, so a key split by the cut is still recognised whole.
  const line = maskSecretsIn(message.slice(0, 4000), secrets).replace(/\s+/g, " ").trim();
  if (!line) return undefined;
  return line.length > MAX_PROVIDER_MESSAGE ? `${line.slice(0, MAX_PROVIDER_MESSAGE - 1)}…` : line;
}

/** A provider's machine code made safe to store and show: masked like a message, at most 100 characters. */
export function cleanProviderCode(code: string | undefined, secrets: readonly string[]): string | undefined {
  return code ? cleanProviderMessage(code, secrets)?.slice(0, 100) : undefined;
}

/** The message for a 2xx whose body is not what the step expects (cut, empty, HTML or other JSON). */
export function unexpectedBody(text: string, truncated: boolean): string {
  if (truncated) return "Unexpected response: the body was larger than the size limit and was cut off.";
  if (!text.trim()) return "Unexpected response: the body was empty.";
  if (/^\s*</.test(text)) return "Unexpected response: an HTML page instead of JSON.";
  return "Unexpected response: not the JSON this API returns.";
}

/** Model ids from an OpenAI-style list (`{data:[{id}]}`, or a bare array of `{id}`); undefined when it is not a list. */
export function listModelIds(body: unknown): string[] | undefined {
  const data = Array.isArray(body) ? body : isRecord(body) ? body.data : undefined;
  if (!Array.isArray(data)) return undefined;
  const ids: string[] = [];
  for (const item of data) {
    const id = isRecord(item) && typeof item.id === "string" ? item.id.trim() : undefined;
    if (id && id.length <= 200) ids.push(id);
  }
  return ids;
}

/** Model ids from the complete entries of a list cut at the size cap (`{"id":"…"` pairs before the cut). */
export function salvageModelIds(truncatedText: string, limit = 500): string[] {
  const ids: string[] = [];
  for (const match of truncatedText.matchAll(/\{\s*"id"\s*:\s*"([^"\\]{1,200})"/g)) {
    if (ids.length >= limit) break;
    if (match[1]) ids.push(match[1]);
  }
  return ids;
}
