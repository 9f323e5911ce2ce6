/**
 * `npm run revalidate`: one re-validation pass over every stored credential, now, from the command
 * line (spaced by REVALIDATE_SPACING_MS). Takes the same lease as the app's background job, so it
 * never overlaps a pass running in an app instance.
 */
import { closeDb, databaseTarget, getDb } from "@/db/client";
import { env } from "@/lib/env";
import { instanceId, runRevalidationJob } from "@/lib/jobs/revalidation-job";

async function main() {
  console.log(`Re-validating stored credentials on ${databaseTarget()} (${env.REVALIDATE_SPACING_MS} ms between calls)…`);
  const outcome = await runRevalidationJob(await getDb(), {
    holder: `cli:${instanceId()}`,
    intervalMs: env.REVALIDATE_INTERVAL_HOURS * 3_600_000,
    spacingMs: env.REVALIDATE_SPACING_MS,
    force: true,
  });
  await closeDb();
  if (!outcome.ran) {
    console.log("Another instance is re-validating right now; try again when it is done.");
    process.exit(1);
  }
  console.log(`Checked ${outcome.checked} credential(s); ${outcome.failed} not valid.`);
}

main().catch(async (error: unknown) => {
  console.error(`re-validation failed: ${error instanceof Error ? error.message : String(error)}`);
  await closeDb();
  process.exit(1);
});
