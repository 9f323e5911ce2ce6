import { randomUUID } from "node:crypto";
import { eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { providerCredentials, webhooks } from "@/db/schema";
import { openSecrets, sealSecrets } from "@/lib/crypto/envelope";
import { generateMasterKeySpec, parseMasterKeys } from "@/lib/crypto/master-keys";
import { createTestUser } from "@/test/helpers";
import { rotateMasterKey } from "./rotate";

const v1 = generateMasterKeySpec("v1");
const v2 = generateMasterKeySpec("v2");

async function seed(count: number) {
  const db = await getDb();
  const user = await createTestUser(db);
  const ring = parseMasterKeys(v1);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const provider = `p${i}`;
    const sealed = sealSecrets({ apiKey: `sk-secret-${i}` }, { credentialId: id, owner: { type: "user", id: user.id }, provider }, ring);
    await db.insert(providerCredentials).values({
      id,
      ownerUserId: user.id,
      provider,
      model: "m",
      apiHost: "https://x",
      ...sealed,
      status: "valid",
      statusCode: "valid",
    });
    ids.push(id);
  }
  return { db, user, ids };
}

describe("master key rotation", () => {
  it("re-wraps every row under the new key; afterwards the old key can be removed", async () => {
    const { db, user, ids } = await seed(5);
    const report = await rotateMasterKey(db, parseMasterKeys(`${v2},${v1}`), { batchSize: 2 });
    expect(report).toEqual({ activeVersion: "v2", rewrapped: 5, webhooks: 0, failed: [], remaining: 0 });
    const v2only = parseMasterKeys(v2);
    const rows = await db.select().from(providerCredentials).where(eq(providerCredentials.ownerUserId, user.id));
    expect(rows.map((r) => r.keyVersion)).toEqual(["v2", "v2", "v2", "v2", "v2"]);
    for (const row of rows) {
      const i = ids.indexOf(row.id);
      expect(openSecrets(row, { credentialId: row.id, owner: { type: "user", id: user.id }, provider: row.provider }, v2only)).toEqual({
        apiKey: `sk-secret-${i}`,
      });
    }
    const { listEvents } = await import("@/lib/audit/events");
    const log = await listEvents(db, { userId: user.id }, { kind: "keys.rotated" });
    expect(log.events).toMatchObject([{ kind: "keys.rotated", details: { version: "v2", credentials: 5 } }]);
    // Resumable: a second run has nothing to do.
    expect(await rotateMasterKey(db, parseMasterKeys(`${v2},${v1}`))).toMatchObject({ rewrapped: 0, remaining: 0 });
  });

  it("reports a row it cannot open and carries on with the rest", async () => {
    const { db, ids } = await seed(3);
    await db.update(providerCredentials).set({ keyVersion: "v0" }).where(eq(providerCredentials.id, ids[1]!));
    const report = await rotateMasterKey(db, parseMasterKeys(`${v2},${v1}`));
    expect(report.rewrapped).toBe(2);
    expect(report.failed).toEqual([{ id: ids[1], reason: expect.stringMatching(/master key v0/) }]);
    expect(report.remaining).toBe(1);
  });

  it("re-wraps webhook signing secrets too, and counts them in the report", async () => {
    const { db, user } = await seed(1);
    const ring = parseMasterKeys(v1);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      const sealed = sealSecrets(
        { secret: `whsec-secret-value-${i}` },
        { credentialId: id, owner: { type: "user", id: user.id }, provider: "webhook" },
        ring,
      );
      await db
        .insert(webhooks)
        .values({ id, ownerUserId: user.id, url: "https://hooks.example.com/x", events: ["credential.invalid"], ...sealed });
      ids.push(id);
    }
    const report = await rotateMasterKey(db, parseMasterKeys(`${v2},${v1}`), { batchSize: 2 });
    // (The file's database still holds the v0 row of the test above: it stays failed and remaining.)
    expect(report).toMatchObject({ activeVersion: "v2", rewrapped: 1, webhooks: 3 });
    const rows = await db.select().from(webhooks).where(eq(webhooks.ownerUserId, user.id));
    for (const row of rows) {
      expect(row.keyVersion).toBe("v2");
      const opened = openSecrets(
        row,
        { credentialId: row.id, owner: { type: "user", id: user.id }, provider: "webhook" },
        parseMasterKeys(v2),
      );
      expect(opened).toEqual({ secret: `whsec-secret-value-${ids.indexOf(row.id)}` });
    }
    expect(await rotateMasterKey(db, parseMasterKeys(`${v2},${v1}`))).toMatchObject({ rewrapped: 0, webhooks: 0 });
    expect(await db.$count(webhooks, ne(webhooks.keyVersion, "v2"))).toBe(0);
  });
});
