/**
 * Usage: the rollup kept by the gateway's batched insert (written through the real batcher), the
 * query layer over it (personal vs org scope, member and org-token attribution, prices → cost,
 * range boundaries) and who may read it.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Database } from "@/db/client";
import { usageDaily } from "@/db/schema";
import { upsertCredential } from "@/lib/credentials/queries";
import { flushGatewayUsage, noteGatewayUsage, type GatewayUsageRow } from "@/lib/gateway/usage-log";
import { orgOwner, userOwner, type Owner } from "@/lib/owners";
import { createToken } from "@/lib/tokens/queries";
import { makeCast, actorOf, type Cast } from "@/test/orgs";
import { requireOrgUsageAccess } from "./access";
import { loadUsage } from "./load";
import { listPrices, priceSchema, removePrice, setPrice } from "./prices";
import { parseRange } from "./range";

let db: Database;
let cast: Cast;

async function credential(owner: Owner, actorUserId: string, provider: "openai" | "anthropic") {
  return upsertCredential(db, owner, {
    provider,
    model: "m",
    apiHost: "https://api.example.test/v1",
    extra: {},
    parameters: null,
    secrets: { apiKey: "sk-test-never-shown-0123456789" },
    secretHints: {},
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(),
    actorUserId,
  });
}

async function token(owner: Owner, actorUserId: string, name: string) {
  return (await createToken(db, owner, { name, expiresInDays: "never", actorUserId })).view.id;
}

function row(at: string, over: Partial<GatewayUsageRow> & Pick<GatewayUsageRow, "tokenId" | "credentialId">): GatewayUsageRow {
  return {
    at: new Date(at),
    userId: null,
    orgId: null,
    provider: "openai",
    model: "gpt-4o",
    path: "chat/completions",
    status: 200,
    ttfbMs: 5,
    durationMs: 9,
    streamed: false,
    inputTokens: 10,
    outputTokens: 2,
    ...over,
  };
}

/** Queues rows through the gateway's batcher and flushes it, as the gateway does once a second. */
async function write(rows: GatewayUsageRow[]) {
  for (const r of rows) noteGatewayUsage(r);
  await flushGatewayUsage();
}

const range = (from: string, to: string) => parseRange({ range: "custom", from, to });

describe("usage", () => {
  let orgCred: string;
  let ownCred: string;
  let memberToken: string;
  let orgToken: string;

  beforeAll(async () => {
    db = await getDb();
    cast = await makeCast(db);
    orgCred = (await credential(orgOwner(cast.orgId), cast.owner.id, "openai")).id;
    ownCred = (await credential(userOwner(cast.member.id), cast.member.id, "anthropic")).id;
    memberToken = await token(userOwner(cast.member.id), cast.member.id, "member agent");
    orgToken = await token(orgOwner(cast.orgId), cast.owner.id, "ci");
  });

  it("keeps usage_daily up to date from the batched insert: flushes add up, errors counted, no model → ''", async () => {
    const tokenId = await token(userOwner(cast.target.id), cast.target.id, "rollup");
    const base = { tokenId, credentialId: orgCred, userId: cast.target.id, orgId: cast.orgId };
    await write([
      row("2026-03-01T00:00:00Z", { ...base }),
      row("2026-03-01T23:59:59.999Z", { ...base, status: 429, inputTokens: null, outputTokens: null }),
      row("2026-03-02T00:00:00Z", { ...base }),
      row("2026-03-01T12:00:00Z", { ...base, model: null, status: 502 }),
    ]);
    await write([row("2026-03-01T08:00:00Z", { ...base, inputTokens: 100, outputTokens: 50, status: 500 })]);

    const rollup = await db.select().from(usageDaily).where(eq(usageDaily.tokenId, tokenId));
    const byKey = Object.fromEntries(rollup.map((r) => [`${r.day}|${r.model}`, r]));
    expect(Object.keys(byKey).sort()).toEqual(["2026-03-01|", "2026-03-01|gpt-4o", "2026-03-02|gpt-4o"]);
    expect(byKey["2026-03-01|gpt-4o"]).toMatchObject({
      requests: 3,
      errors: 2,
      inputTokens: 110,
      outputTokens: 52,
      orgId: cast.orgId,
      userId: cast.target.id,
      provider: "openai",
      credentialId: orgCred,
    });
    expect(byKey["2026-03-01|"]).toMatchObject({ requests: 1, errors: 1, inputTokens: 10, outputTokens: 2 });
    expect(byKey["2026-03-02|gpt-4o"]).toMatchObject({ requests: 1, errors: 0 });
  });

  describe("scopes", () => {
    beforeAll(async () => {
      await write([
        // The member through the org's credential (org traffic, and theirs).
        row("2026-04-10T10:00:00Z", { tokenId: memberToken, credentialId: orgCred, userId: cast.member.id, orgId: cast.orgId }),
        row("2026-04-11T10:00:00Z", {
          tokenId: memberToken,
          credentialId: orgCred,
          userId: cast.member.id,
          orgId: cast.orgId,
          inputTokens: 1_000_000,
          outputTokens: 500_000,
        }),
        // The member with their own credential (theirs only).
        row("2026-04-10T11:00:00Z", {
          tokenId: memberToken,
          credentialId: ownCred,
          userId: cast.member.id,
          provider: "anthropic",
          model: "claude-x",
        }),
        // The org token (org traffic, nobody's personal usage).
        row("2026-04-10T12:00:00Z", { tokenId: orgToken, credentialId: orgCred, orgId: cast.orgId, status: 401 }),
        row("2026-04-12T12:00:00Z", { tokenId: orgToken, credentialId: orgCred, orgId: cast.orgId, model: "gpt-4o-mini" }),
      ]);
    });

    it("org scope: every member's and org token's traffic on the org, attributed", async () => {
      const usage = await loadUsage(db, { orgId: cast.orgId }, range("2026-04-01", "2026-04-30"));
      expect(usage.totals).toMatchObject({ requests: 4, errors: 1 });
      const table = usage.rows.map((r) => [r.member, r.credential, r.model, r.requests, r.errors]);
      expect(table).toEqual(
        expect.arrayContaining([
          [cast.member.name, "OpenAI", "gpt-4o", 2, 0],
          ["Org token “ci”", "OpenAI", "gpt-4o", 1, 1],
          ["Org token “ci”", "OpenAI", "gpt-4o-mini", 1, 0],
        ]),
      );
      expect(table).toHaveLength(3);
      expect(usage.stacks.member?.keys.map((k) => k.label).sort()).toEqual([cast.member.name, "Org token “ci”"].sort());
      expect(usage.daily).toHaveLength(30);
      expect(usage.daily.find((d) => d.day === "2026-04-10")).toMatchObject({ requests: 2, errors: 1, errorRate: 0.5 });
      const member = usage.stacks.member!;
      const memberId = member.keys.find((k) => k.label === cast.member.name)!.id;
      expect(member.requests.find((p) => p.day === "2026-04-11")![memberId]).toBe(1);
      expect(member.tokens.find((p) => p.day === "2026-04-11")![memberId]).toBe(1_500_000);
    });

    it("personal scope: the user's own tokens, their own credential and the org's", async () => {
      const usage = await loadUsage(db, { userId: cast.member.id }, range("2026-04-01", "2026-04-30"));
      expect(usage.totals.requests).toBe(3);
      expect(usage.stacks.member).toBeUndefined();
      const credentials = usage.rows.map((r) => r.credential).sort();
      expect(credentials).toEqual([`OpenAI · ${await orgName()}`, "Anthropic (personal)"].sort());
      // Nobody else's usage, and not the org token's.
      expect(usage.rows.every((r) => r.member === cast.member.name)).toBe(true);
      const owner = await loadUsage(db, { userId: cast.owner.id }, range("2026-04-01", "2026-04-30"));
      expect(owner.totals.requests).toBe(0);
      expect(owner.rows).toEqual([]);
    });

    it("range boundaries are inclusive UTC days", async () => {
      const one = await loadUsage(db, { orgId: cast.orgId }, range("2026-04-11", "2026-04-11"));
      expect(one.totals.requests).toBe(1);
      expect(one.daily.map((d) => d.day)).toEqual(["2026-04-11"]);
      const edges = await loadUsage(db, { orgId: cast.orgId }, range("2026-04-10", "2026-04-12"));
      expect(edges.totals.requests).toBe(4);
      const before = await loadUsage(db, { orgId: cast.orgId }, range("2026-03-03", "2026-04-09"));
      expect(before.totals.requests).toBe(0);
    });

    it("prices give an estimated cost; removing one removes it", async () => {
      const actor = actorOf(cast.admin);
      await setPrice(
        db,
        actor,
        cast.slug,
        priceSchema.parse({ credentialId: orgCred, model: "gpt-4o", inputPerMillion: "2.5", outputPerMillion: "10" }),
      );
      expect(await listPrices(db, cast.orgId)).toEqual([
        { credentialId: orgCred, providerName: "OpenAI", model: "gpt-4o", inputPerMillion: "2.5", outputPerMillion: "10" },
      ]);
      const usage = await loadUsage(db, { orgId: cast.orgId }, range("2026-04-01", "2026-04-30"));
      const memberRow = usage.rows.find((r) => r.member === cast.member.name)!;
      // (1,000,010 / 1e6) × 2.5 + (500,002 / 1e6) × 10
      expect(memberRow.cost).toBeCloseTo(1_000_010 * 2.5e-6 + 500_002 * 10e-6, 9);
      expect(usage.rows.find((r) => r.model === "gpt-4o-mini")!.cost).toBeNull();
      // Plus the org token's gpt-4o request: 10 input, 2 output tokens.
      expect(usage.totals.cost).toBeCloseTo(memberRow.cost! + (10 * 2.5 + 2 * 10) / 1e6, 9);

      await removePrice(db, actor, cast.slug, orgCred, "gpt-4o");
      expect(await listPrices(db, cast.orgId)).toEqual([]);
      const after = await loadUsage(db, { orgId: cast.orgId }, range("2026-04-01", "2026-04-30"));
      expect(after.rows.every((r) => r.cost === null)).toBe(true);
      expect(after.totals.cost).toBeNull();
    });
  });

  it("prices: only owners and admins, only on the org's own credentials, never negative", async () => {
    const input = priceSchema.parse({ credentialId: orgCred, model: "gpt-4o", inputPerMillion: "1", outputPerMillion: "2" });
    await expect(setPrice(db, actorOf(cast.member), cast.slug, input)).rejects.toMatchObject({ code: "forbidden" });
    await expect(setPrice(db, actorOf(cast.outsider), cast.slug, input)).rejects.toMatchObject({ code: "not_found" });
    await expect(setPrice(db, actorOf(cast.owner), cast.slug, { ...input, credentialId: ownCred })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(priceSchema.safeParse({ ...input, inputPerMillion: "-1" }).success).toBe(false);
    expect(priceSchema.safeParse({ ...input, outputPerMillion: "1e3" }).success).toBe(false);
    expect(priceSchema.safeParse({ ...input, model: "x".repeat(201) }).success).toBe(false);
  });

  it("org usage: owners and admins read it; members are refused, outsiders see no org", async () => {
    await expect(requireOrgUsageAccess(db, cast.slug, cast.owner.id)).resolves.toMatchObject({ role: "owner" });
    await expect(requireOrgUsageAccess(db, cast.slug, cast.admin.id)).resolves.toMatchObject({ role: "admin" });
    await expect(requireOrgUsageAccess(db, cast.slug, cast.member.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(requireOrgUsageAccess(db, cast.slug, cast.outsider.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(requireOrgUsageAccess(db, cast.slug, cast.removed.id)).rejects.toMatchObject({ code: "not_found" });
  });
});

async function orgName() {
  const { organizations } = await import("@/db/schema");
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, cast.orgId));
  return org!.name;
}
