/**
 * Entry point for Save: runs the provider's adapter under one overall deadline and always returns
 * a ValidationResult (never throws, never leaks a secret into the result or the log).
 */
import "server-only";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { getProvider } from "./catalog";
import { maskSecretsIn } from "./mask";
import { hostOf, normalizeBaseUrl } from "./openai-family/style";
import { getAdapter } from "./registry";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidationResult } from "./types";

export type ValidateCredentialOptions = {
  /** Overall deadline; env.PROVIDER_VALIDATION_TIMEOUT_MS by default. */
  timeoutMs?: number;
  /** Adapter to run instead of the registry's (tests, providers being built). */
  adapter?: ProviderAdapter;
};

// After the deadline, how long the adapter gets to report its own (aborted) result.
const ABORT_GRACE_MS = 250;

// 20000 → "20 s", 1500 → "1.5 s".
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

// Belt and braces for every adapter: no secret survives in a text field of the result.
function scrub(result: ValidationResult, secrets: readonly string[]): ValidationResult {
  const clean = (text: string | undefined) => (text === undefined ? undefined : maskSecretsIn(text, secrets));
  const scrubbed: ValidationResult = { ...result, host: clean(result.host) ?? "" };
  for (const field of ["providerCode", "providerMessage", "reason"] as const) {
    if (result[field] !== undefined) scrubbed[field] = clean(result[field]);
  }
  return scrubbed;
}

/**
 * Validates a credential against its provider: key, then model, then a 1-token invocation.
 * Bounded by an overall deadline (→ unreachable, "timed out after N s"); an unexpected failure
 * is logged without secrets and reported as provider_error.
 */
export async function validateCredential(config: CredentialConfig, options: ValidateCredentialOptions = {}): Promise<ValidationResult> {
  const definition = getProvider(config.provider);
  const apiHost = config.apiHost.trim() || definition.defaultApiHost || "";
  const host = hostOf(normalizeBaseUrl(apiHost));
  const secrets = Object.values(config.secrets).filter(Boolean);
  const adapter = options.adapter ?? getAdapter(config.provider);

  const timeoutMs = options.timeoutMs ?? env.PROVIDER_VALIDATION_TIMEOUT_MS;
  const timedOut = (): ValidationResult => ({ outcome: "unreachable", step: "key", reason: `timed out after ${seconds(timeoutMs)}`, host });
  const controller = new AbortController();
  let deadlinePassed = false;
  let fallback: ReturnType<typeof setTimeout> | undefined;
  const deadline = setTimeout(() => {
    deadlinePassed = true;
    controller.abort();
  }, timeoutMs);
  // If the adapter ignores the abort, answer anyway shortly after the deadline.
  const hardStop = new Promise<ValidationResult>((resolve) => {
    fallback = setTimeout(() => resolve(timedOut()), timeoutMs + ABORT_GRACE_MS);
  });

  const run = (async (): Promise<ValidationResult> => {
    try {
      return await adapter.validate({ ...config, apiHost }, { signal: controller.signal });
    } catch (error) {
      if (deadlinePassed) return timedOut();
      log.error("provider validation failed unexpectedly", {
        provider: config.provider,
        host,
        error: maskSecretsIn(describeError(error), secrets),
      });
      return { outcome: "provider_error", step: "key", host };
    }
  })();

  try {
    const result = await Promise.race([run, hardStop]);
    // A request cut by the deadline reports "cancelled": say which deadline it was.
    if (deadlinePassed && result.outcome === "unreachable") {
      return scrub({ ...result, reason: `timed out after ${seconds(timeoutMs)}`, host: result.host || host }, secrets);
    }
    return scrub(result, secrets);
  } finally {
    clearTimeout(deadline);
    clearTimeout(fallback);
  }
}

/** Runs `work` with an abort signal that fires after `timeoutMs`; resolves to `fallback` on timeout or error. */
async function bounded<T>(timeoutMs: number, fallback: T, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(fallback);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal).catch(() => fallback), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the model calls a tool it is offered: one small request after a successful validation.
 * Never throws and never takes longer than `timeoutMs`; anything that goes wrong is "unknown".
 */
export async function checkToolSupport(config: CredentialConfig, timeoutMs = env.PROVIDER_REQUEST_TIMEOUT_MS): Promise<ToolSupport> {
  const adapter = getAdapter(config.provider);
  const apiHost = config.apiHost.trim() || getProvider(config.provider).defaultApiHost || "";
  return bounded<ToolSupport>(timeoutMs, "unknown", (signal) => adapter.checkTools({ ...config, apiHost }, { signal }));
}

/**
 * The provider's model ids for suggestions, or null when it has no list (or the list failed):
 * callers fall back to the catalog's documented names.
 */
export async function listProviderModels(config: CredentialConfig, timeoutMs = env.PROVIDER_REQUEST_TIMEOUT_MS): Promise<string[] | null> {
  const adapter = getAdapter(config.provider);
  const apiHost = config.apiHost.trim() || getProvider(config.provider).defaultApiHost || "";
  return bounded<string[] | null>(timeoutMs, null, (signal) => adapter.listModels({ ...config, apiHost }, { signal }));
}
