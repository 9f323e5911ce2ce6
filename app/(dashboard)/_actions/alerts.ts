"use server";

/**
 * Alert webhook actions, for the user's own webhooks (scope null) or an organization's (its slug;
 * owners and admins, checked in lib/alerts/webhooks.ts). Each calls one lib function.
 */
import { revalidatePath } from "next/cache";
import { ALERT_EVENTS } from "@/db/schema/webhooks";
import { sendTestEvent, type TestEventResult } from "@/lib/alerts/test-event";
import { createWebhook, removeWebhook, webhookFormSchema } from "@/lib/alerts/webhooks";
import type { ActionState } from "@/lib/actions";
import type { CredentialScope } from "@/lib/credentials/service";
import { form, id, previousState, scopeSlug, userAction } from "@/lib/safe-action";

const scopeOf = (slug: string | null): CredentialScope => (slug ? { kind: "org", slug } : { kind: "user" });
const refresh = (slug: string | null) => revalidatePath(slug ? `/orgs/${slug}/alerts` : "/agent/alerts");

// The secret is never echoed back; the URL and the event choices are.
const ECHO = ["url", ...ALERT_EVENTS.map((e) => `event:${e}`)];

export const createWebhookAction = userAction(
  [scopeSlug, previousState, form(webhookFormSchema, ECHO)],
  async ({ db, actor }, slug, _prev, input): Promise<ActionState<{ url: string }>> => {
    const created = await createWebhook(db, actor, scopeOf(slug), input);
    refresh(slug);
    return { ok: true, data: { url: created.url } };
  },
);

export const removeWebhookAction = userAction([scopeSlug, id], async ({ db, actor }, slug, webhookId): Promise<ActionState> => {
  await removeWebhook(db, actor, scopeOf(slug), webhookId);
  refresh(slug);
  return { ok: true };
});

export const sendTestEventAction = userAction(
  [scopeSlug, id],
  async ({ db, actor }, slug, webhookId): Promise<ActionState<TestEventResult>> => {
    const result = await sendTestEvent(db, actor, scopeOf(slug), webhookId);
    refresh(slug);
    return { ok: true, data: result };
  },
);
