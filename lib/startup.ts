import "server-only";
import { databaseTarget, getDb } from "@/db/client";
import { authSecret } from "@/lib/auth/secret";
import { checkSsoConfiguration } from "@/lib/auth/sso-settings";
import { installClientAddressHook } from "@/lib/client-address/hook";
import { masterKeyring } from "@/lib/crypto/master-keys";
import { env } from "@/lib/env";
import { ConfigError } from "@/lib/errors";
import { startDeliveryWorker } from "@/lib/alerts/deliver";
import { startRevalidationScheduler } from "@/lib/jobs/revalidation-job";
import { startTokenExpiryScheduler } from "@/lib/jobs/token-expiry-job";
import { log } from "@/lib/log";
import { checkMailConfiguration } from "@/lib/mail";
import { startRateLimitPurge } from "@/lib/rate-limits/purge";
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
  // First, before Next hands any request to a handler: client addresses come from the socket.
  installClientAddressHook(env.TRUSTED_PROXY_HOPS);
  checkConfiguration();
  const started = Date.now();
  try {
    await getDb();
    log.info(`database ready: ${databaseTarget()}`, { ms: Date.now() - started });
  } catch {
    // Already logged in one line by getDb; requests retry, /api/health reports 503.
  }
  // The resolution cache's invalidation feed (LISTEN on PostgreSQL): up before the first agent request.
  void startResolutionCache(0);
  startRevalidationScheduler();
  startRateLimitPurge();
  startDeliveryWorker();
  startTokenExpiryScheduler();
}
