/**
 * "Send test event": a `test` event for one webhook, recorded in its delivery log like any other
 * and sent right away (a failure then retries on the normal schedule).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import type { CredentialScope, ScopeActor } from "@/lib/credentials/service";
import { AppError } from "@/lib/errors";
import { deliverDue } from "./deliver";
import { alertPayload } from "./emit";
import { alertsOwner, findWebhook } from "./webhooks";

export type TestEventResult = {
  deliveryId: string;
  status: "delivered" | "pending" | "failed";
  statusCode: number | null;
  error: string | null;
};

export async function sendTestEvent(db: Database, actor: ScopeActor, scope: CredentialScope, webhookId: string): Promise<TestEventResult> {
  const { owner } = await alertsOwner(db, actor, scope);
  const hook = await findWebhook(db, owner, webhookId);
  const alertOwner = owner.type === "org" ? { orgId: owner.id } : { userId: owner.id };
  const eventId = randomUUID();
  const payload = await alertPayload(db, alertOwner, "test", { message: "A test event from BYOK.", webhookId: hook.id }, eventId);
  if (!payload) throw new AppError("not_found", "That webhook no longer exists.");
  const [row] = await db
    .insert(webhookDeliveries)
    .values({ webhookId: hook.id, eventId, event: "test", payload, status: "pending" })
    .returning({ id: webhookDeliveries.id });
  await deliverDue(db, { deliveryId: row!.id });
  const [after] = await db
    .select({ status: webhookDeliveries.status, statusCode: webhookDeliveries.lastStatusCode, error: webhookDeliveries.lastError })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, row!.id));
  return { deliveryId: row!.id, status: after?.status ?? "pending", statusCode: after?.statusCode ?? null, error: after?.error ?? null };
}
