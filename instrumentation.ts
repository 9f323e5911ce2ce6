/**
 * Runs once when the server starts: checks configuration (a missing production secret stops
 * start-up with a message naming the variable) and opens and migrates the database early, so the
 * first visitor does not pay for it. A database that is down is logged, not fatal: /api/health
 * answers 503 until it is back.
 */
export async function register() {
  // NEXT_RUNTIME is a build-time constant Next inlines per bundle, not configuration.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/startup");
  await startServer();
}
