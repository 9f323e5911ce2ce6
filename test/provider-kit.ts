/**
 * Test helpers for adapter tests against the provider emulator over real HTTP. `startKit`: an
 * emulator and a loopback-allowed guarded fetch to inject into an adapter. `withProviderEmulator`: one
 * emulator for the whole file, reached through validateCredential and the env-configured guarded
 * fetch (such a file loads `@/test/provider-env` first). Both check that no key ever travelled in
 * a URL. Used by `*.test.ts` only.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { emulatorApiHost, emulatorKey, startEmulator, type Emulator, type RecordedRequest, type ScenarioName } from "@/e2e/emulator";
import { freePort } from "@/e2e/free-port";
import { createGuardedFetch, type GuardedFetch } from "@/lib/net/guarded-fetch";
import type { CredentialConfig, ProviderAdapter, ProviderId, ValidateOptions, ValidationResult } from "@/lib/providers/types";
import { validateCredential, type ValidateCredentialOptions } from "@/lib/providers/validate";

export type Scenario = ScenarioName | "valid";

/** What `work` returned, with the requests the emulator got meanwhile. */
async function during<T>(emulator: Emulator, work: () => Promise<T>): Promise<{ value: T; requests: RecordedRequest[] }> {
  const before = emulator.requests().length;
  const value = await work();
  return { value, requests: emulator.requests().slice(before) };
}

/** No secret in any request's path. */
function expectNoSecretInPaths(requests: readonly RecordedRequest[], secrets: readonly string[]): void {
  const paths = requests.map((r) => r.path);
  for (const secret of secrets) for (const path of paths) expect(path).not.toContain(secret);
}

export type KitConfigOptions = { apiHost?: string; prefix?: string; apiKey?: string };

export type KitRun<T> = { value: T; requests: RecordedRequest[]; ms: number };

export type Kit = {
  emulator: Emulator;
  /** API Host of the provider on the emulator (`http://127.0.0.1:PORT/qwen/compatible-mode/v1`). */
  apiHost: string;
  fetch: GuardedFetch;
  requestTimeoutMs: number;
  /** A credential for a scenario key; the key is remembered for the no-key-in-URL check. */
  config(scenario: Scenario, model: string, options?: KitConfigOptions): CredentialConfig;
  /** Runs one adapter call; returns its answer and the requests made meanwhile. */
  run<T>(call: (options: ValidateOptions) => Promise<T>): Promise<KitRun<T>>;
  /** `adapter.validate` on a scenario credential (see config); the run, with that credential. */
  validate(
    adapter: ProviderAdapter,
    scenario: Scenario,
    model: string,
    options?: KitConfigOptions,
  ): Promise<KitRun<ValidationResult> & { cfg: CredentialConfig }>;
  /** Checks no key ever travelled in a URL, then stops the emulator and the fetch's pool. */
  close(): Promise<void>;
};

/** Starts an emulator and a loopback-allowed guarded fetch for `provider`'s adapter tests. */
export async function startKit(provider: ProviderId, options: { slowMs?: number; requestTimeoutMs?: number } = {}): Promise<Kit> {
  const emulator = await startEmulator({ slowMs: options.slowMs ?? 3000 });
  const requestTimeoutMs = options.requestTimeoutMs ?? 1000;
  const fetch = createGuardedFetch({ allowPrivateHosts: "127.0.0.1,localhost", defaultTimeoutMs: requestTimeoutMs });
  const apiHost = emulatorApiHost(emulator.url, provider);
  const keys: string[] = [];
  const config: Kit["config"] = (scenario, model, extra = {}) => {
    const apiKey = extra.apiKey ?? emulatorKey(scenario, extra.prefix ?? "sk-");
    if (apiKey) keys.push(apiKey);
    const secrets: Record<string, string> = apiKey ? { apiKey } : {};
    return { provider, apiHost: extra.apiHost ?? apiHost, model, secrets, extra: {} };
  };
  const run = async <T>(call: (options: ValidateOptions) => Promise<T>): Promise<KitRun<T>> => {
    const started = performance.now();
    const { value, requests } = await during(emulator, () => call({ signal: new AbortController().signal }));
    return { value, requests, ms: performance.now() - started };
  };
  return {
    emulator,
    apiHost,
    fetch,
    requestTimeoutMs,
    config,
    run,
    async validate(adapter, scenario, model, extra) {
      const cfg = config(scenario, model, extra);
      return { ...(await run((o) => adapter.validate(cfg, o))), cfg };
    },
    async close() {
      expectNoSecretInPaths(emulator.requests(), keys);
      await fetch.close();
      await emulator.close();
    },
  };
}

export type EmulatorFile = {
  readonly emulator: Emulator;
  /** API Host of the provider on the emulator. */
  readonly apiHost: string;
  /** Secrets no request path may contain (checked after all tests). */
  remember(...secrets: string[]): void;
  /** A credential whose API key is a scenario key (remembered); `prefix` overrides the file's. */
  keyConfig(scenario: Scenario, model: string, host?: string, prefix?: string): CredentialConfig;
  /** What `work` returned, with the requests it made. */
  withRequests<T>(work: () => Promise<T>): Promise<{ value: T; requests: RecordedRequest[] }>;
  /** validateCredential's result, with the requests it made. */
  run(cfg: CredentialConfig, options?: ValidateCredentialOptions): Promise<{ result: ValidationResult; requests: RecordedRequest[] }>;
};

export type EmulatorFileOptions = {
  /** Prefix of scenario keys (emulatorKey's default when absent). */
  keyPrefix?: string;
  /** The whole file must have made more requests than this (10 by default). */
  minRequests?: number;
  /** Checks every request after all tests, besides the no-secret-in-URL check. */
  checkRequest?: (request: RecordedRequest, secrets: readonly string[]) => void;
};

/**
 * Starts the emulator (slow scenarios wait 5 s) before the file's tests; after them checks that
 * they made requests, that no remembered secret was in a URL (plus `checkRequest`), and stops it.
 */
export function withProviderEmulator(provider: ProviderId, options: EmulatorFileOptions = {}): EmulatorFile {
  let emulator: Emulator | undefined;
  let apiHost = "";
  const secrets: string[] = [];
  const started = (): Emulator => {
    if (!emulator) throw new Error("The emulator starts in beforeAll: use it inside tests.");
    return emulator;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ slowMs: 5000 });
    apiHost = emulatorApiHost(emulator.url, provider);
  });
  afterAll(async () => {
    const requests = started().requests();
    expect(requests.length).toBeGreaterThan(options.minRequests ?? 10);
    if (options.checkRequest) for (const r of requests) options.checkRequest(r, secrets);
    expectNoSecretInPaths(requests, secrets);
    await started().close();
  });

  return {
    get emulator() {
      return started();
    },
    get apiHost() {
      return apiHost;
    },
    remember(...more) {
      secrets.push(...more);
    },
    keyConfig(scenario, model, host = apiHost, prefix = options.keyPrefix) {
      const apiKey = emulatorKey(scenario, prefix);
      secrets.push(apiKey);
      return { provider, apiHost: host, model, secrets: { apiKey }, extra: {} };
    },
    withRequests: (work) => during(started(), work),
    async run(cfg, validateOptions) {
      const { value, requests } = await during(started(), () => validateCredential(cfg, validateOptions));
      return { result: value, requests };
    },
  };
}

type Validation = { result: ValidationResult; requests: RecordedRequest[] };

/** A redirect is a provider_error with its 302, and is not followed (one request). */
export function expectRedirectNotFollowed({ result, requests }: Validation): void {
  expect(result).toMatchObject({ outcome: "provider_error", httpStatus: 302 });
  expect(requests).toHaveLength(1);
}

/**
 * A slow provider, cut by the per-request timeout (1 s under `@/test/provider-env`): unreachable
 * at the key step, well before the overall deadline.
 */
export async function expectTimedOutPerRequest(validate: () => Promise<Pick<Validation, "result">>): Promise<void> {
  const started = Date.now();
  const { result } = await validate();
  expect(result).toMatchObject({ outcome: "unreachable", step: "key", reason: "timed out after 1 s", host: "127.0.0.1" });
  expect(Date.now() - started).toBeLessThan(3000);
}

/** A closed loopback port (`validate` gets a free one): unreachable at the key step, connection refused. */
export async function expectRefused(validate: (port: number) => Promise<Pick<Validation, "result">>): Promise<void> {
  const port = await freePort();
  const { result } = await validate(port);
  expect(result).toMatchObject({ outcome: "unreachable", step: "key", host: "127.0.0.1" });
  expect(result.reason).toMatch(/refused/);
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
