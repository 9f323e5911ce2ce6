/**
 * `npm run keys:rotate`: re-wraps every stored credential's (and webhook secret's) data key under the active master key
 * (the first entry of BYOK_ENCRYPTION_KEYS). Safe while the app serves (with PostgreSQL; PGlite
 * allows one process, so stop `npm run dev` first). Re-run to resume. When it reports 0 remaining,
 * the older master keys can be removed from BYOK_ENCRYPTION_KEYS.
 */
import { closeDb, databaseTarget, getDb } from "@/db/client";
import { rotateMasterKey } from "@/lib/credentials/rotate";
import { masterKeyring } from "@/lib/crypto/master-keys";

async function main() {
  const keyring = masterKeyring();
  console.log(`Rotating to master key ${keyring.active.version} on ${databaseTarget()}…`);
  const report = await rotateMasterKey(await getDb(), keyring, { onProgress: (n) => console.log(`  ${n} re-wrapped`) });
  console.log(
    `Re-wrapped ${report.rewrapped} credential(s) and ${report.webhooks} webhook secret(s); ${report.remaining} not on ${report.activeVersion}.`,
  );
  for (const f of report.failed) console.log(`  could not re-wrap ${f.id}: ${f.reason}`);
  if (report.remaining === 0) {
    const old = [...keyring.keys.keys()].filter((v) => v !== report.activeVersion);
    if (old.length)
      console.log(
        `Every credential and webhook now uses ${report.activeVersion}; you may remove ${old.join(", ")} from BYOK_ENCRYPTION_KEYS.`,
      );
  }
  await closeDb();
  process.exit(report.failed.length > 0 ? 1 : 0);
}

main().catch(async (error: unknown) => {
  console.error(`key rotation failed: ${error instanceof Error ? error.message : String(error)}`);
  await closeDb();
  process.exit(1);
});
