/**
 * The one door for alert events (webhooks and email). Callers name the owner whose webhooks and
 * people receive it, the event, and its data (no secrets). Delivery happens off the caller's path.
 */
import "server-only";
import type { AlertEvent } from "@/db/schema";

export type AlertOwner = { orgId: string } | { userId: string };

export type AlertInput = {
  owner: AlertOwner;
  event: AlertEvent;
  /** Event-specific fields, e.g. { credentialId, provider, reason } or { budgetId, scope, used, limit }. */
  data: Record<string, unknown>;
};

/**
 * Records the event for every matching webhook of the owner (a pending delivery each) and queues
 * the email. Never throws into the caller: an alert that cannot be queued is logged.
 */
export async function emitAlert(input: AlertInput): Promise<void> {
  // Implemented by the webhooks work (issue 12 §3).
  void input;
}
