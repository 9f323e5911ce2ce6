/**
 * Test helper for adapter tests against the provider emulator over real HTTP: an emulator, a
 * guarded fetch allowed onto loopback with a short timeout, and runners that return what an
 * adapter call answered together with the requests it made. Used by `*.test.ts` only.
 */
import { expect } from "vitest";
import { emulatorApiHost, emulatorKey, startEmulator, type Emulator, type RecordedRequest, type ScenarioName } from "@/e2e/emulator";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/guarded-fetch";
import type { CredentialConfig, ProviderId, ValidateOptions } from "./types";

export type Kit = {
  emulator: Emulator;
  /** API Host of the provider on the emulator (`http://127.0.0.1:PORT/qwen/compatible-mode/v1`). */
  apiHost: string;
  fetch: GuardedFetch;
  requestTimeoutMs: number;
  /** A credential for a scenario key; the key is remembered for the no-key-in-URL check. */
  config(scenario: ScenarioName | "valid", model: string, options?: { apiHost?: string; prefix?: string; apiKey?: string }): CredentialConfig;
  /** Runs one adapter call; returns its answer and the requests made meanwhile. */
  run<T>(call: (options: ValidateOptions) => Promise<T>): Promise<{ value: T; requests: RecordedRequest[]; ms: number }>;
  /** Checks no key ever travelled in a URL, then stops the emulator and the fetch's pool. */
  close(): Promise<void>;
};

/** Starts an emulator and a loopback-allowed guarded fetch for `provider`'s adapter tests. */
export async function startKit(provider: ProviderId, options: { slowMs?: number; requestTimeoutMs?: number } = {}): Promise<Kit> {
  const emulator = await startEmulator({ slowMs: options.slowMs ?? 3000 });
  const requestTimeoutMs = options.requestTimeoutMs ?? 300;
  const fetch = createGuardedFetch({ allowPrivateHosts: "127.0.0.1,localhost", defaultTimeoutMs: requestTimeoutMs });
  const apiHost = emulatorApiHost(emulator.url, provider);
  const keys: string[] = [];
  return {
    emulator,
    apiHost,
    fetch,
    requestTimeoutMs,
    config(scenario, model, extra = {}) {
      const apiKey = extra.apiKey ?? emulatorKey(scenario, extra.prefix ?? "sk-");
      if (apiKey) keys.push(apiKey);
      const secrets: Record<string, string> = apiKey ? { apiKey } : {};
      return { provider, apiHost: extra.apiHost ?? apiHost, model, secrets, extra: {} };
    },
    async run(call) {
      const before = emulator.requests().length;
      const started = performance.now();
      const value = await call({ signal: new AbortController().signal });
      const ms = performance.now() - started;
      return { value, requests: emulator.requests().slice(before), ms };
    },
    async close() {
      const paths = emulator.requests().map((r) => r.path);
      for (const key of keys) for (const path of paths) expect(path).not.toContain(key);
      await fetch.close();
      await emulator.close();
    },
  };
}

/** `METHOD /path` below the provider's API root, for request-order assertions. */
export function routeOf(request: RecordedRequest, root: string): string {
  const path = request.path.startsWith(root) ? request.path.slice(root.length) || "/" : request.path;
  return `${request.method} ${path}`;
}

/** The JSON body of a recorded request. */
export function bodyOf(request: RecordedRequest | undefined): Record<string, unknown> {
  return JSON.parse(request?.body ?? "{}") as Record<string, unknown>;
}

/** Asserts that no secret (nor its tail) appears anywhere in a value. */
export function expectNoSecret(value: unknown, config: CredentialConfig): void {
  const text = value instanceof Error ? value.message : JSON.stringify(value);
  for (const secret of Object.values(config.secrets)) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(-10));
  }
}
