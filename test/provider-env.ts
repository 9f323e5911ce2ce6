/**
 * Loaded first by provider adapter tests (`await vi.hoisted(() => import("@/test/provider-env"))`),
 * before any module reads lib/env: the emulator is reached on loopback, and timeouts stay short.
 */
process.env.ALLOW_PRIVATE_API_HOSTS = "127.0.0.1,localhost";
process.env.PROVIDER_REQUEST_TIMEOUT_MS = "1000";
process.env.PROVIDER_VALIDATION_TIMEOUT_MS = "3000";

export {};
