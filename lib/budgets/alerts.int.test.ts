/**
 * Budgets and alerts together: crossing 80 % and 100 % of an org credential's budget reaches the
 * org's webhook (a real receiver on 127.0.0.1) as signed budget.threshold and budget.exceeded
 * events, once each, with the data the README documents.
 */
import { afterEach, expect, it } from "vitest";
import { getDb, preparedQuery } from "@/db/client";
import { deliverDue } from "@/lib/alerts/deliver";
import { verifyWebhookSignature } from "@/lib/alerts/signature";
import { startReceiver, type Receiver } from "@/lib/alerts/test-receiver";
import { createWebhook } from "@/lib/alerts/webhooks";
import { upsertCredential } from "@/lib/credentials/queries";
import { orgOwner } from "@/lib/owners";
import { actorOf, makeCast } from "@/test/orgs";
import { admitRequest } from "./admission";
import { monthOf } from "./month";
import { settleBudgetAlerts } from "./notify";
import { setBudget } from "./service";

const SECRET = "whsec-budget-alerts-secret";
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
});

it("an org credential's budget sends budget.threshold at 80 % and budget.exceeded at 100 % to the org's webhook, signed, once each", async () => {
  const db = await getDb();
  receiver = await startReceiver([200, 200, 200, 200]);
  const cast = await makeCast(db);
  const credential = await upsertCredential(db, orgOwner(cast.orgId), {
    provider: "openai",
    model: "gpt-4o-mini",
    apiHost: "http://127.0.0.1:9/v1",
    extra: {},
    parameters: null,
    secrets: { apiKey: "sk-proj-budgetALERTkey0123456789abcdefghijk" },
    secretHints: {},
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(),
    actorUserId: cast.owner.id,
  });
  await createWebhook(
    db,
    actorOf(cast.owner),
    { kind: "org", slug: cast.slug },
    { url: receiver.url, secret: SECRET, events: ["budget.threshold", "budget.exceeded"] },
  );
  const budget = await setBudget(
    db,
    actorOf(cast.admin),
    cast.slug,
    { scope: "credential", id: credential.id },
    { requestLimit: 5, tokenLimit: null },
  );
  const subject = { tokenId: crypto.randomUUID(), userId: cast.member.id, credentialId: credential.id, credentialOrgId: cast.orgId };

  // 4 of 5 (80 %), then past the limit with requests racing each other.
  for (let i = 0; i < 4; i++) await admitRequest(preparedQuery, subject);
  await settleBudgetAlerts();
  await Promise.allSettled(Array.from({ length: 6 }, () => admitRequest(preparedQuery, subject)));
  await settleBudgetAlerts();
  expect(await deliverDue(db)).toEqual({ delivered: 2, retrying: 0, failed: 0 });

  const requests = await receiver.waitFor(2);
  const events = requests.map((r) => {
    expect(verifyWebhookSignature({ secret: SECRET, header: r.headers["x-byok-signature"], body: r.body })).toBe(true);
    return JSON.parse(r.body) as { type: string; org: { slug: string }; data: Record<string, unknown> };
  });
  expect(events.map((e) => e.type).sort()).toEqual(["budget.exceeded", "budget.threshold"]);
  for (const event of events) {
    expect(event.org.slug).toBe(cast.slug);
    expect(event.data).toMatchObject({ budgetId: budget.id, scope: "credential", unit: "requests", limit: 5, month: monthOf() });
  }
  expect(events.find((e) => e.type === "budget.exceeded")!.data.used).toBe(5);
  // Nothing more: each level fires once a month.
  await settleBudgetAlerts();
  expect(await deliverDue(db)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
});
