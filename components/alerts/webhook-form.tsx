"use client";

import { useActionState, useEffect, useRef } from "react";
import { createWebhookAction } from "@/app/(dashboard)/_actions/alerts";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import { ALERT_EVENTS } from "@/db/schema/webhooks";
import { EVENT_DESCRIPTIONS } from "./verify-snippet";

/** 32 random bytes as base64url, made in the browser (the server only ever sees what is saved). */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
}

/** "Webhook URL", "Secret" (with "Generate"), one checkbox per event → "Save". */
export function WebhookForm({ orgSlug }: { orgSlug: string | null }) {
  const [state, action, pending] = useActionState(createWebhookAction.bind(null, orgSlug), null);
  const formRef = useRef<HTMLFormElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const failed = state && !state.ok ? state : undefined;
  const saved = state?.ok ? state.data : undefined;

  useEffect(() => {
    if (!saved) return;
    toast.success("Webhook saved");
    formRef.current?.reset();
  }, [saved]);

  const checked = (event: string) => (failed?.values ? failed.values[`event:${event}`] === "on" : true);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a webhook</CardTitle>
        <CardDescription>
          BYOK POSTs each event as JSON, signed with the secret (see “Verifying deliveries” below). Keep a copy of the secret: after saving,
          only its last four characters are shown.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form ref={formRef} action={action} className="grid gap-4" noValidate>
          <Field
            id="webhook-url"
            label="Webhook URL"
            hint="https://… (plain http only for hosts in ALLOW_PRIVATE_API_HOSTS)"
            error={failed?.fieldErrors?.url}
          >
            <Input
              {...fieldAria("webhook-url", failed?.fieldErrors?.url, true)}
              name="url"
              type="url"
              inputMode="url"
              placeholder="https://hooks.example.com/byok"
              autoComplete="off"
              spellCheck={false}
              defaultValue={failed?.values?.url ?? ""}
              required
            />
          </Field>
          <Field
            id="webhook-secret"
            label="Secret"
            hint="At least 16 characters; used to sign every delivery."
            error={failed?.fieldErrors?.secret}
          >
            <div className="flex min-w-0 gap-2">
              <Input
                {...fieldAria("webhook-secret", failed?.fieldErrors?.secret, true)}
                ref={secretRef}
                name="secret"
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                defaultValue=""
                required
              />
              <Button
                type="button"
                variant="outline"
                onClick={() => {
                  if (secretRef.current) secretRef.current.value = randomSecret();
                  secretRef.current?.focus();
                  secretRef.current?.select();
                }}
              >
                Generate
              </Button>
            </div>
          </Field>
          <fieldset className="grid gap-2" aria-describedby={failed?.fieldErrors?.events ? "webhook-events-error" : undefined}>
            <legend className="mb-1 text-sm font-medium">Events</legend>
            {ALERT_EVENTS.map((event) => (
              <label key={event} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name={`event:${event}`}
                  defaultChecked={checked(event)}
                  className="mt-0.5 size-4 shrink-0 accent-primary focus-visible:outline-2 focus-visible:outline-ring"
                />
                <span className="min-w-0">
                  <code className="font-mono text-xs">{event}</code>
                  <span className="text-muted-foreground"> — {EVENT_DESCRIPTIONS[event]}</span>
                </span>
              </label>
            ))}
            {failed?.fieldErrors?.events ? (
              <p id="webhook-events-error" className="text-xs font-medium text-destructive">
                {failed.fieldErrors.events}
              </p>
            ) : null}
          </fieldset>
          <Button type="submit" className="justify-self-start" disabled={pending} aria-busy={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
        </form>
        {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
      </CardContent>
    </Card>
  );
}
