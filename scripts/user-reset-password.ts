/**
 * `npm run user:reset-password -- <email>`: prints a one-time link to reset that account's password
 * (valid 1 hour, single use, stored hashed), for an instance that does not send email. Hand it to
 * the person over a channel you trust. With PGlite (one process at a time), stop `npm run dev` first.
 */
import { closeDb, getDb } from "@/db/client";
import { configuredOrigin } from "@/lib/app-url";
import { issueOperatorResetLink } from "@/lib/auth/password-reset";
import { emailSchema } from "@/lib/auth/schemas";
import { isAppError } from "@/lib/errors";

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const parsed = emailSchema.safeParse(args[0] ?? "");
  if (args.length !== 1 || !parsed.success) {
    console.error("usage: npm run user:reset-password -- <email>");
    return 2;
  }
  const origin = configuredOrigin() ?? "http://localhost:3000";
  try {
    const { link, expiresAt } = await issueOperatorResetLink(await getDb(), parsed.data, origin);
    console.log(`One-time password reset link for ${parsed.data} (expires in 1 hour, at ${expiresAt.toISOString()}; works once):`);
    console.log("");
    console.log(`  ${link}`);
    console.log("");
    console.log("Any older reset link of this account no longer works. Resetting the password signs the account out everywhere.");
    return 0;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      console.error(`${error.message} Nothing was created.`);
      return 1;
    }
    throw error;
  }
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`user:reset-password failed: ${error instanceof Error ? error.message : String(error)}`);
    await closeDb().catch(() => {});
    process.exit(1);
  });
