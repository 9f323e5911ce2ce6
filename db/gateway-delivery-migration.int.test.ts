/**
 * Migration 0005: existing org credentials move to gateway delivery (their members must never see
 * the key); personal credentials keep handing out the key.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { providerCredentials } from "@/db/schema";
import { upsertCredential } from "@/lib/credentials/queries";
import { orgOwner, userOwner, type Owner } from "@/lib/owners";
import { makeCast } from "@/test/orgs";
import { getDb } from "./client";
import { migrationsFolder } from "./migrate";

// The data step of the migration (its other statements create what exists already).
const backfill = readFileSync(path.join(migrationsFolder, "0005_gateway_delivery_usage.sql"), "utf8")
  .split("--> statement-breakpoint")
  .filter((statement) => /^\s*UPDATE\b/m.test(statement));

describe("migration 0005: delivery", () => {
  it("sets existing org credentials to gateway and leaves personal ones on key", async () => {
    expect(backfill).toHaveLength(1);
    const db = await getDb();
    const cast = await makeCast(db);
    const store = async (owner: Owner, actorUserId: string) =>
      (
        await upsertCredential(db, owner, {
          provider: "openai",
          model: "gpt-4o",
          apiHost: "https://api.openai.com/v1",
          extra: {},
          parameters: null,
          secrets: { apiKey: "sk-test-migration-xyzxyzxyz" },
          secretHints: {},
          status: "valid",
          statusCode: "valid",
          statusDetail: null,
          validatedAt: new Date(),
          actorUserId,
        })
      ).id;
    const org = await store(orgOwner(cast.orgId), cast.owner.id);
    const personal = await store(userOwner(cast.member.id), cast.member.id);
    // As before the migration: every credential handed out its key.
    await db
      .update(providerCredentials)
      .set({ delivery: "key" })
      .where(inArray(providerCredentials.id, [org, personal]));

    await db.execute(sql.raw(backfill[0]!));

    const delivery = async (id: string) =>
      (await db.select({ d: providerCredentials.delivery }).from(providerCredentials).where(eq(providerCredentials.id, id)))[0]!.d;
    expect({ org: await delivery(org), personal: await delivery(personal) }).toEqual({ org: "gateway", personal: "key" });
  });
});
