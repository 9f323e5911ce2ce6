"use client";

import { ExternalLinkIcon, Loader2Icon, StarIcon, Trash2Icon } from "lucide-react";
import { useId, useState, useTransition, type FormEvent } from "react";
import {
  removeCredentialAction,
  saveCredentialAction,
  setDefaultAction,
  type SaveCredentialState,
} from "@/app/(dashboard)/agent/models/actions";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PasswordInput } from "@/components/ui/password-input";
import { RelativeTime } from "@/components/ui/relative-time";
import { toast } from "@/components/ui/toaster";
import { FIELD_PREFIX } from "@/lib/credentials/field-names";
import type { ProviderDefinition } from "@/lib/providers/types";
import { DefaultBadge, StatusBadge } from "./status-badge";
import type { StoredCredential } from "./types";
import { ValidationAlert } from "./validation-alert";

type Props = { definition: ProviderDefinition; stored: StoredCredential | null; isDefault: boolean };

/**
 * One provider: its fields, Save (validate then store), Set as Default and Remove. Inputs are
 * controlled so a failed save keeps what was typed; a successful save remounts the card (keyed by
 * version upstream), which empties the key field and shows the stored key's hint instead.
 */
export function ProviderCard({ definition, stored, isDefault }: Props) {
  const uid = useId();
  const [failed, setFailed] = useState<Extract<SaveCredentialState, { ok: false }> | null>(null);
  const [saving, startSave] = useTransition();
  const [busy, startTransition] = useTransition();
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(definition, stored));
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  const report = failed?.data?.report;
  const fieldErrors = failed?.fieldErrors ?? {};
  const formError = failed && !report && !failed.fieldErrors ? failed.error : undefined;
  const disabled = saving || busy;
  const status = stored ? stored.status : "not_configured";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    startSave(async () => {
      const result = await saveCredentialAction(null, formData);
      if (result.ok) {
        // The page refreshes with the new version, which remounts this card with the key field empty.
        setFailed(null);
        const verified = result.data?.report.outcome === "valid";
        toast.success(verified ? `${definition.name} saved and verified` : `${definition.name} saved as Unverified`);
      } else {
        setFailed(result);
      }
    });
  }

  function run(action: () => Promise<{ ok: boolean; error?: string }>, success: string) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) toast.success(success);
      else toast.error(result.error ?? "Something went wrong.");
    });
  }

  return (
    <Card role="region" aria-labelledby={`${uid}-title`} className="flex flex-col">
      <CardHeader>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <CardTitle id={`${uid}-title`}>{definition.name}</CardTitle>
          <div className="flex flex-wrap items-center gap-1.5">
            {isDefault ? <DefaultBadge /> : null}
            <StatusBadge status={status} />
          </div>
        </div>
        <CardDescription>
          {definition.description}{" "}
          {definition.keyUrl ? (
            <a href={definition.keyUrl} target="_blank" rel="noreferrer" className="inline-flex items-center gap-0.5 text-primary hover:underline">
              Get a key <ExternalLinkIcon className="size-3" aria-hidden />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
          ) : null}
        </CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate className="flex flex-1 flex-col">
        <CardContent className="grid flex-1 gap-3">
          <input type="hidden" name="provider" value={definition.id} />
          {stored ? <input type="hidden" name="expectedVersion" value={stored.version} /> : null}
          <fieldset disabled={disabled} className="grid gap-3">
            {definition.fields
              .filter((f) => f.secret)
              .map((field) => {
                const id = `${uid}-${field.name}`;
                const hint = stored?.secretHints[field.name];
                return (
                  <Field key={field.name} id={id} label={field.label} error={fieldErrors[field.name]}
                    hint={hint ? "Stored. Leave empty to keep it, or paste a new one to replace it." : field.help}>
                    <PasswordInput
                      {...fieldAria(id, fieldErrors[field.name], Boolean(hint ?? field.help))}
                      name={`${FIELD_PREFIX}${field.name}`}
                      value={values[`${FIELD_PREFIX}${field.name}`] ?? ""}
                      onChange={set(`${FIELD_PREFIX}${field.name}`)}
                      placeholder={hint ?? field.placeholder ?? (field.required ? "" : "Optional")}
                    />
                  </Field>
                );
              })}
            <Field id={`${uid}-apiHost`} label="API Host" error={fieldErrors.apiHost}>
              <Input
                {...fieldAria(`${uid}-apiHost`, fieldErrors.apiHost)}
                name="apiHost"
                type="url"
                inputMode="url"
                spellCheck={false}
                value={values.apiHost ?? ""}
                onChange={set("apiHost")}
                placeholder={definition.apiHostPlaceholder ?? definition.defaultApiHost}
              />
            </Field>
            <Field id={`${uid}-model`} label="Model Type" error={fieldErrors.model}>
              <Input
                {...fieldAria(`${uid}-model`, fieldErrors.model)}
                name="model"
                spellCheck={false}
                autoComplete="off"
                list={`${uid}-models`}
                value={values.model ?? ""}
                onChange={set("model")}
                placeholder={definition.defaultModel}
              />
              <datalist id={`${uid}-models`}>
                {definition.suggestedModels.map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
            </Field>
            {definition.fields
              .filter((f) => !f.secret)
              .map((field) => {
                const id = `${uid}-${field.name}`;
                const name = `${FIELD_PREFIX}${field.name}`;
                return (
                  <Field key={field.name} id={id} label={field.label} error={fieldErrors[field.name]} hint={field.help}>
                    <Input {...fieldAria(id, fieldErrors[field.name], Boolean(field.help))} name={name} value={values[name] ?? ""}
                      onChange={set(name)} placeholder={field.placeholder} spellCheck={false} />
                  </Field>
                );
              })}
          </fieldset>
          {report ? (
            <ValidationAlert report={report}>
              {report.canSaveAnyway ? (
                <Button type="submit" name="intent" value="save_anyway" variant="outline" size="sm" disabled={disabled}>
                  Save anyway
                </Button>
              ) : null}
            </ValidationAlert>
          ) : null}
          {formError ? (
            <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {formError}
            </p>
          ) : null}
          {stored && !report && stored.status !== "valid" && stored.statusDetail ? (
            <p className="text-xs text-muted-foreground">{stored.statusDetail}</p>
          ) : null}
          <p className="text-xs text-muted-foreground" aria-live="polite">
            {saving ? "Checking the key, the model and a 1-token call with the provider…" : stored?.validatedAt ? (
              <>Last checked <RelativeTime iso={stored.validatedAt} /></>
            ) : stored ? null : "Not saved yet."}
          </p>
        </CardContent>
        <CardFooter>
          <Button type="submit" name="intent" value="save" disabled={disabled} aria-busy={saving}>
            {saving ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
            {saving ? "Validating…" : "Save"}
          </Button>
          <Button type="button" variant="outline" disabled={disabled || !stored || isDefault}
            onClick={() => stored && run(() => setDefaultAction(stored.id), `${definition.name} is now your default`)}>
            <StarIcon aria-hidden /> Set as Default
          </Button>
          {stored ? (
            <ConfirmDialog
              trigger={
                <Button type="button" variant="ghost" className="ml-auto text-destructive hover:text-destructive" disabled={disabled}>
                  <Trash2Icon aria-hidden /> Remove
                </Button>
              }
              title={`Remove ${definition.name}?`}
              description={`The stored key is deleted.${isDefault ? " This is your default: agents will get no model until you choose another." : ""}`}
              confirmLabel="Remove"
              onConfirm={() => run(() => removeCredentialAction(stored.id), `${definition.name} removed`)}
            />
          ) : null}
        </CardFooter>
      </form>
    </Card>
  );
}

function initialValues(definition: ProviderDefinition, stored: StoredCredential | null): Record<string, string> {
  const values: Record<string, string> = {
    apiHost: stored?.apiHost ?? definition.defaultApiHost ?? "",
    model: stored?.model ?? definition.defaultModel,
  };
  for (const field of definition.fields) {
    if (!field.secret) values[`${FIELD_PREFIX}${field.name}`] = stored?.extra[field.name] ?? field.defaultValue ?? "";
  }
  return values;
}
