/**
 * How adapters send their JSON requests through the guarded fetch, and what a request that got no
 * answer becomes: the unreachable result of the step it was for. Also a credential's request
 * context (Probe) for adapters that classify each answer per step, and the errors listModels throws.
 */
import "server-only";
import { env } from "@/lib/env";
import { guardedFetch } from "@/lib/net/guarded-fetch";
import { OutboundError, type GuardedRequest, type GuardedResponse } from "@/lib/net/types";
import { maskSecretsIn } from "./mask";
import type { Classifier, StepVerdict } from "./openai-family/classify";
import { apiUrl, hostOf } from "./openai-family/style";
import type { CredentialConfig, ValidationResult, ValidationStep } from "./types";

export type FetchLike = (url: string, init?: GuardedRequest) => Promise<GuardedResponse>;

/** How an adapter reaches its provider; both are injected by tests. */
export type FetchOptions = {
  /** Outbound fetch; the env-configured guarded fetch by default. */
  fetch?: FetchLike;
  /** Per-request timeout; env.PROVIDER_REQUEST_TIMEOUT_MS by default. */
  requestTimeoutMs?: number;
};

/** A request's outcome: an HTTP answer, or the result for one that never got an answer. */
export type Attempt = { response: GuardedResponse } | { failed: ValidationResult };

/** A credential's API key (trimmed; undefined when empty) and all its secrets, for masking. */
export function credentialKeys(config: CredentialConfig): { apiKey: string | undefined; secrets: string[] } {
  return { apiKey: config.secrets.apiKey?.trim() || undefined, secrets: Object.values(config.secrets).filter(Boolean) };
}

/** The result for a request that never got an HTTP answer. */
export function unreachableResult(error: OutboundError, step: ValidationStep, secrets: readonly string[]): ValidationResult {
  return {
    outcome: "unreachable",
    step,
    reason: maskSecretsIn(error.message, secrets).slice(0, 300) || error.kind,
    host: error.host,
  };
}

/**
 * The unreachable result for a request that failed below HTTP (an OutboundError), reported on the
 * error's host or else `host`. Anything else is rethrown.
 */
export function unreachableFrom(error: unknown, step: ValidationStep, secrets: readonly string[], host: string): ValidationResult {
  if (error instanceof OutboundError) return { ...unreachableResult(error, step, secrets), host: error.host || host };
  throw error;
}

export type JsonClientOptions = FetchOptions & {
  signal: AbortSignal;
  /** Sent with every request (auth included). */
  headers: Record<string, string>;
  /** Masked out of unreachable reasons. */
  secrets: readonly string[];
  /** Reported when an unreachable error names no host. */
  host: string;
};

export type JsonClient = {
  /** GET `url` (no body) or POST it a JSON body. Throws OutboundError when no answer came. */
  send(url: string, body?: unknown, maxBytes?: number): Promise<GuardedResponse>;
  /** The same for a validation step: the answer, or the step's unreachable result. */
  call(step: ValidationStep, url: string, body?: unknown, maxBytes?: number): Promise<Attempt>;
};

/** One credential's JSON requests: its headers, timeout and signal on each. */
export function jsonClient(options: JsonClientOptions): JsonClient {
  const fetcher = options.fetch ?? guardedFetch;
  const timeoutMs = options.requestTimeoutMs ?? env.PROVIDER_REQUEST_TIMEOUT_MS;
  const send = (url: string, body?: unknown, maxBytes?: number): Promise<GuardedResponse> =>
    fetcher(url, {
      method: body === undefined ? "GET" : "POST",
      headers: options.headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
      maxBytes,
      signal: options.signal,
    });
  const call = async (step: ValidationStep, url: string, body?: unknown, maxBytes?: number): Promise<Attempt> => {
    try {
      return { response: await send(url, body, maxBytes) };
    } catch (error) {
      return { failed: unreachableFrom(error, step, options.secrets, options.host) };
    }
  };
  return { send, call };
}

/** One credential's request context, shared by validate, listModels, checkTools and pre-checks. */
export type Probe = {
  /** Normalised base URL (`https://api.openai.com/v1`). */
  base: string;
  host: string;
  model: string;
  /** Every secret of the credential, for masking. */
  secrets: string[];
  /** GET (no body) or POST (JSON body) a path below the base, with the adapter's auth headers. */
  call(step: ValidationStep, path: string, body?: unknown, maxBytes?: number): Promise<Attempt>;
  /** The same for an absolute URL (e.g. an endpoint outside the base path). */
  callUrl(step: ValidationStep, url: string, body?: unknown, maxBytes?: number): Promise<Attempt>;
  /** The adapter's classifier applied to one answer. */
  verdict(response: GuardedResponse, step: ValidationStep): StepVerdict;
};

export type ProbeOptions = FetchOptions & {
  /** The credential's base URL, already normalised. */
  base: string;
  /** Request headers for the credential's API key (undefined when it has none). */
  headers: (apiKey: string | undefined) => Record<string, string>;
  classify: Classifier;
  /** Joins the base and an endpoint path; apiUrl by default. */
  join?: (base: string, path: string) => string;
};

/** The request context for one credential: its base, host, model, secrets, auth headers and classifier. */
export function createProbe(config: CredentialConfig, signal: AbortSignal, options: ProbeOptions): Probe {
  const { apiKey, secrets } = credentialKeys(config);
  const { base, classify } = options;
  const host = hostOf(base);
  const join = options.join ?? apiUrl;
  const http = jsonClient({
    fetch: options.fetch,
    requestTimeoutMs: options.requestTimeoutMs,
    signal,
    headers: options.headers(apiKey),
    secrets,
    host,
  });
  return {
    base,
    host,
    model: config.model.trim(),
    secrets,
    callUrl: http.call,
    call: (step, path, body, maxBytes) => http.call(step, join(base, path), body, maxBytes),
    verdict: (response, step) => classify(response.status, response.text, step, { secrets, truncated: response.truncated }),
  };
}

/** What listModels throws when the list request got no answer. */
export function listUnreachableError(failed: ValidationResult): Error {
  return new Error(`Could not list models: ${failed.reason ?? "unreachable"}`);
}

/** What listModels throws when the list answer did not pass. */
export function listRefusedError(verdict: StepVerdict, status: number): Error {
  const detail = verdict.providerMessage ? `: ${verdict.providerMessage}` : "";
  return new Error(`Could not list models (${verdict.outcome}, HTTP ${status})${detail}`);
}
