import "server-only";
import { databaseTarget, getDb } from "@/db/client";
import { authSecret } from "@/lib/auth/secret";
import { masterKeyring } from "@/lib/crypto/master-keys";
import { ConfigError } from "@/lib/errors";
import { startRevalidationScheduler } from "@/lib/jobs/revalidation-job";
import { log } from "@/lib/log";
import { checkMailConfiguration } from "@/lib/mail";

/** Checks required configuration; exits the process with one clear line when something is missing. */
export function checkConfiguration(): void {
  try {
    authSecret();
    masterKeyring();
    checkMailConfiguration();
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(`cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

export async function startServer(): Promise<void> {
  checkConfiguration();
  const started = Date.now();
  try {
    await getDb();
    log.info(`database ready: ${databaseTarget()}`, { ms: Date.now() - started });
  } catch {
    // Already logged in one line by getDb; requests retry, /api/health reports 503.
  }
  startRevalidationScheduler();
}
