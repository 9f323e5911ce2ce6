/**
 * One gateway request, after access was granted, in two halves: `sendUpstream` (the provider's
 * URL and auth, the body sent through the guarded fetch, up to the response headers) and
 * `answerClient` (the answer streamed back chunk by chunk while its usage is read); profile
 * failover (./profile.ts) decides between them whether to answer or try the next entry.
 * Error answers (status ≥ 400) are read up to a cap and passed back with every stored secret
 * masked. Every outcome, the upstream's failures included, leaves one usage row (batched).
 */
import "server-only";
import type { Readable } from "node:stream";
import { preparedQuery } from "@/db/client";
import { noteBudgetTokens, type Admission } from "@/lib/budgets/admission";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { guardedStream, type GuardedStreamResponse } from "@/lib/net/guarded-fetch";
import { OutboundError } from "@/lib/net/types";
import { PROVIDER_SCAN_LIMIT } from "@/lib/providers/limits";
import { maskSecretsIn } from "@/lib/providers/mask";
import type { GatewayAccess } from "./access";
import { prepareBody, readRequestBody, type PreparedBody } from "./body";
import { eventStreamUsageReader } from "./event-stream";
import { requestHeadersFor, responseHeadersFrom } from "./headers";
import { secretValues, type GatewayRoute, type GatewaySpec, type UpstreamRequest } from "./types";
import { jsonUsageReader, sseUsageReader, type Usage, type UsageReader } from "./usage";
import { noteGatewayUsage } from "./usage-log";

function readerFor(contentType: string): { reader: UsageReader | undefined; streamed: boolean } {
  if (/^text\/event-stream/i.test(contentType)) return { reader: sseUsageReader(), streamed: true };
  if (/^application\/vnd\.amazon\.eventstream/i.test(contentType)) return { reader: eventStreamUsageReader(), streamed: true };
  if (/\bjson\b/i.test(contentType)) return { reader: jsonUsageReader(), streamed: false };
  return { reader: undefined, streamed: false };
}

/** Bedrock InvokeModel reports its token counts in headers. */
function usageFromHeaders(headers: Headers): Usage {
  const read = (name: string) => {
    const value = Number(headers.get(name));
    return headers.has(name) && Number.isInteger(value) && value >= 0 ? value : null;
  };
  return { inputTokens: read("x-amzn-bedrock-input-token-count"), outputTokens: read("x-amzn-bedrock-output-token-count") };
}

// The provider's failures, not BYOK's: answered, never logged as BYOK errors (`logged`).
function upstreamError(error: OutboundError): AppError {
  if (error.kind === "timeout") {
    const seconds = Number((env.GATEWAY_IDLE_TIMEOUT_MS / 1000).toFixed(2));
    return new AppError("upstream_timeout", `The provider at ${error.host} sent nothing for ${seconds} s.`, { logged: true });
  }
  if (error.kind === "invalid_url" || error.kind === "blocked_address") {
    return new AppError(
      "upstream_unreachable",
      `The credential's API Host (${error.host}) may not be reached from BYOK: ${error.message}.`,
      { logged: true },
    );
  }
  return new AppError("upstream_unreachable", `Could not reach the provider at ${error.host}: ${error.message}.`, { logged: true });
}

async function readCapped(body: Readable, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, cap - size));
      size += Math.min(buffer.length, cap - size);
      if (size >= cap) break;
    }
  } catch {
    // What arrived is passed on.
  } finally {
    body.destroy();
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks), { stream: size >= cap });
}

/** Upstream answers up to this size with a Content-Length, and not event streams, are sent in one write. */
const WHOLE_BODY_LIMIT = 256 * 1024;

/** The whole body when it is exactly `length` bytes; null when it ended early, overran or failed (then it is destroyed). */
async function readWhole(body: Readable, length: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      parts.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > length) break;
    }
  } catch {
    size = -1;
  }
  if (size !== length) {
    body.destroy();
    return null;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}

/** One upstream request, as `sendUpstream` sends it. */
export type UpstreamInput = {
  request: Request;
  access: GatewayAccess;
  spec: GatewaySpec;
  route: GatewayRoute;
  search: string;
  /** The body to send, prepared for this upstream (./body.ts). */
  prepared: PreparedBody;
  /** When the request began, for its usage row (default: now). */
  started?: number;
  /** The budgets that admitted it (lib/budgets/admission.ts): the answer's tokens are added to them. */
  admission?: Admission | null;
};

type Recorder = (status: number, extra?: { ttfbMs?: number | null; streamed?: boolean; usage?: Usage }) => void;

/** An upstream's answer, headers received, body not read yet: answer the client with it, or discard it. */
export type Attempt = {
  upstream: GuardedStreamResponse;
  credential: GatewayAccess["credential"];
  started: number;
  record: Recorder;
};

/**
 * Sends one request upstream and waits for its response headers. Throws AppError 502/504 when
 * the provider cannot be reached or says nothing in time (its usage row is recorded then).
 */
export async function sendUpstream(input: UpstreamInput): Promise<Attempt> {
  const { request, access, spec, route, search, prepared, started = Date.now(), admission } = input;
  const { credential, token } = access;
  const url = spec.url(credential, route, search);
  const headers = requestHeadersFor(request.headers);
  const outgoing: UpstreamRequest = { method: request.method, url, headers, body: prepared.body };
  Object.assign(headers, spec.auth(credential, outgoing, request.headers));

  const record: Recorder = (status, extra = {}) => {
    noteBudgetTokens(preparedQuery, admission, (extra.usage?.inputTokens ?? 0) + (extra.usage?.outputTokens ?? 0));
    noteGatewayUsage({
      at: new Date(started),
      tokenId: token.id,
      userId: token.ownerUserId,
      orgId: token.ownerOrgId ?? credential.ownerOrgId,
      credentialId: credential.id,
      provider: credential.provider,
      model: route.model ?? prepared.model,
      path: route.path,
      status,
      ttfbMs: extra.ttfbMs ?? null,
      durationMs: Date.now() - started,
      streamed: extra.streamed ?? false,
      inputTokens: extra.usage?.inputTokens ?? null,
      outputTokens: extra.usage?.outputTokens ?? null,
    });
  };

  try {
    const upstream = await guardedStream(url, {
      method: request.method,
      headers,
      body: prepared.body,
      signal: request.signal,
      headersTimeoutMs: env.GATEWAY_IDLE_TIMEOUT_MS,
      idleTimeoutMs: env.GATEWAY_IDLE_TIMEOUT_MS,
    });
    return { upstream, credential, started, record };
  } catch (error) {
    const refused =
      error instanceof OutboundError
        ? upstreamError(error)
        : new AppError("upstream_unreachable", "Could not reach the provider.", { logged: true });
    // 499: the agent went away before the provider answered (nginx's code for it).
    record(request.signal.aborted ? 499 : refused.status);
    throw refused;
  }
}

/** Drops an answer the client will not see (profile failover): its body is destroyed, its usage row recorded. */
export function discardAttempt({ upstream, started, record }: Attempt): void {
  // Destroying an unread undici body emits an AbortError: expected here, not an uncaught error.
  upstream.body.on("error", () => {});
  upstream.body.destroy();
  record(upstream.status, { ttfbMs: Date.now() - started, usage: usageFromHeaders(upstream.headers) });
}

/**
 * The client's response from an upstream answer: its status, returned headers (plus `extra`) and
 * body, streamed chunk by chunk while its usage is read; error bodies read up to a cap and masked.
 */
export async function answerClient(attempt: Attempt, extra?: Headers): Promise<Response> {
  const { upstream, credential, started, record } = attempt;
  const answerHeaders = responseHeadersFrom(upstream.headers);
  answerHeaders.set("cache-control", "no-store");
  extra?.forEach((value, name) => answerHeaders.set(name, value));
  if (upstream.status >= 400) {
    const text = await readCapped(upstream.body, PROVIDER_SCAN_LIMIT);
    answerHeaders.delete("content-encoding");
    record(upstream.status, { ttfbMs: Date.now() - started, usage: usageFromHeaders(upstream.headers) });
    return new Response(maskSecretsIn(text, secretValues(credential)), { status: upstream.status, headers: answerHeaders });
  }

  const contentType = upstream.headers.get("content-type") ?? "";
  const encoded = upstream.headers.has("content-encoding") && upstream.headers.get("content-encoding") !== "identity";
  const { reader, streamed } = encoded ? { reader: undefined, streamed: false } : readerFor(contentType);
  if (streamed) {
    // Proxies and compression must pass each chunk on as it comes.
    answerHeaders.set("cache-control", "no-cache, no-transform");
    answerHeaders.set("x-accel-buffering", "no");
  }
  const body = upstream.body;
  const chunks = body[Symbol.asyncIterator]();
  let ttfbMs: number | null = null;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    const fromBody = reader?.result();
    const fromHeaders = usageFromHeaders(upstream.headers);
    record(upstream.status, {
      ttfbMs,
      streamed,
      usage: {
        inputTokens: fromBody?.inputTokens ?? fromHeaders.inputTokens,
        outputTokens: fromBody?.outputTokens ?? fromHeaders.outputTokens,
      },
    });
  };

  const length = Number(upstream.headers.get("content-length") ?? NaN);
  if (
    !streamed &&
    upstream.status !== 204 &&
    upstream.status !== 304 &&
    Number.isInteger(length) &&
    length >= 0 &&
    length <= WHOLE_BODY_LIMIT
  ) {
    // A small, complete answer (a chat completion, a model list) goes out in one write: the client
    // reads it whole anyway, and a web stream per response costs more CPU than the answer itself.
    const whole = await readWhole(body, length);
    ttfbMs = Date.now() - started;
    if (!whole) {
      finish();
      throw new AppError("upstream_unreachable", "The provider's answer ended before its announced length.", { logged: true });
    }
    reader?.push(whole);
    finish();
    return new Response(whole as unknown as Uint8Array<ArrayBuffer>, { status: upstream.status, headers: answerHeaders });
  }
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            finish();
            controller.close();
            return;
          }
          const chunk = next.value as Buffer;
          ttfbMs ??= Date.now() - started;
          reader?.push(chunk);
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        } catch {
          // Upstream went quiet (idle timeout), reset, or the client left: the answer ends here.
          finish();
          body.destroy();
          controller.error(new Error("The upstream response ended early."));
        }
      },
      cancel() {
        finish();
        body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
  if (upstream.status === 204 || upstream.status === 304) {
    body.destroy();
    finish();
    return new Response(null, { status: upstream.status, headers: answerHeaders });
  }
  return new Response(stream, { status: upstream.status, headers: answerHeaders });
}

export type ForwardInput = Omit<UpstreamInput, "prepared" | "started">;

/** Forwards the request; throws AppError for BYOK's own refusals (413, 502, 504). */
export async function forward(input: ForwardInput): Promise<Response> {
  const started = Date.now();
  const raw = input.request.method === "GET" ? undefined : await readRequestBody(input.request);
  const prepared = prepareBody(raw, input.request.headers.get("content-type"), input.route.askUsage);
  return answerClient(await sendUpstream({ ...input, prepared, started }));
}
