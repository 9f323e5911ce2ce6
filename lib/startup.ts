import "server-only";
import { databaseTarget, getDb } from "@/db/client";
import { authSecret } from "@/lib/auth/secret";
import { checkSsoConfiguration } from "@/lib/auth/sso-settings";
import { installClientAddressHook } from "@/lib/client-address/hook";
import { masterKeyring } from "@/lib/crypto/master-keys";
import { env, isProduction } from "@/lib/env";
import { preloadServerActions } from "@/lib/action-preload";
import { ConfigError } from "@/lib/errors";
import { startDeliveryWorker } from "@/lib/alerts/deliver";
import { startRevalidationScheduler } from "@/lib/jobs/revalidation-job";
import { startTokenExpiryScheduler } from "@/lib/jobs/token-expiry-job";
import { describeError, log } from "@/lib/log";
import { checkMailConfiguration } from "@/lib/mail";
import { startRateLimitPurge } from "@/lib/rate-limits/purge";
import { preloadLimiterStore } from "@/lib/rate-limits/store";
import { initOutsideRequests } from "@/lib/outside-requests";
import { dispatchFetchOutsideRequests } from "@/lib/net/global-dispatcher";
import { startResolutionCache } from "@/lib/resolution";

/** Checks required configuration; exits the process with one clear line when something is missing. */
export function checkConfiguration(): void {
  try {
    authSecret();
    masterKeyring();
    checkMailConfiguration();
    checkSsoConfiguration();
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(`cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

export async function startServer(): Promise<void> {
  // First, before Next hands any request to a handler: client addresses come from the socket, and
  // work that outlives a request (batched writes) has a scope of its own to run in.
  installClientAddressHook(env.TRUSTED_PROXY_HOPS);
  initOutsideRequests();
  if (!dispatchFetchOutsideRequests()) log.warn("Node's fetch has no global dispatcher to wrap");
  checkConfiguration();
  const started = Date.now();
  try {
    const db = await getDb();
    log.info(`database ready: ${databaseTarget()}`, { ms: Date.now() - started });
    // Before any request can be the first to need it (see preloadLimiterStore).
    await preloadLimiterStore(db).catch((error: unknown) => log.warn("rate limiter store not preloaded", { reason: describeError(error) }));
  } catch {
    // Already logged in one line by getDb; requests retry, /api/health reports 503.
  }
  // The resolution cache's invalidation feed (LISTEN on PostgreSQL): up before the first agent request.
  void startResolutionCache(0);
  startRevalidationScheduler();
  startRateLimitPurge();
  startDeliveryWorker();
  startTokenExpiryScheduler();
  if (isProduction) {
    // Where `next start` listens (it sets this before start-up runs): runtime state, not configuration.
    // eslint-disable-next-line no-restricted-properties
    const origin = process.env.__NEXT_PRIVATE_ORIGIN || `http://127.0.0.1:${env.PORT}`;
    // Not awaited: Next serves these requests once start-up (this function) is done.
    void preloadServerActions(origin);
  }
}
