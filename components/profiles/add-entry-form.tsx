"use client";

import { useActionState, useState } from "react";
import { addProfileEntryAction } from "@/app/(dashboard)/_actions/profiles";
import { FormAlert } from "@/components/auth/form-alert";
import { ModelField } from "@/components/providers/model-field";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import type { CredentialOption } from "./types";

export const optionLabel = (o: CredentialOption) => `${o.providerName} — ${o.ownerName} · ${o.model}`;

/**
 * "Add model": a credential of the scope ("Provider") and a model for it ("Model Type", the
 * credential's own model to start with, suggestions from that credential's model list).
 */
export function AddEntryForm({
  orgSlug,
  profileId,
  profileName,
  options,
}: {
  orgSlug: string | null;
  profileId: string;
  profileName: string;
  options: CredentialOption[];
}) {
  const [credentialId, setCredentialId] = useState(options[0]?.id ?? "");
  const chosen = options.find((o) => o.id === credentialId) ?? options[0];
  const [model, setModel] = useState(chosen?.model ?? "");
  const [state, action, pending] = useActionState(async (prev: unknown, formData: FormData) => {
    const result = await addProfileEntryAction(orgSlug, profileId, prev, formData);
    if (result.ok) {
      toast.success(`Added ${result.data?.model ?? "the model"} to ${profileName}`);
      setModel(chosen?.model ?? "");
    }
    return result;
  }, null);
  const failed = state && !state.ok ? state : undefined;
  const uid = `add-${profileId}`;

  function choose(id: string) {
    setCredentialId(id);
    setModel(options.find((o) => o.id === id)?.model ?? "");
  }

  return (
    <form
      action={action}
      className="grid gap-3 rounded-lg border border-dashed p-3"
      noValidate
      aria-label={`Add a model to ${profileName}`}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`${uid}-credential`} label="Provider" error={failed?.fieldErrors?.credentialId}>
          <select
            {...fieldAria(`${uid}-credential`, failed?.fieldErrors?.credentialId)}
            name="credentialId"
            value={chosen?.id ?? ""}
            onChange={(e) => choose(e.target.value)}
            className="h-9 w-full min-w-0 rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-ring"
          >
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {optionLabel(o)}
                {o.status === "invalid" ? " (Invalid)" : ""}
              </option>
            ))}
          </select>
        </Field>
        {chosen ? (
          <ModelField
            id={`${uid}-model`}
            provider={chosen.provider}
            credentialId={chosen.id}
            storedVersion={null}
            value={model}
            onChange={setModel}
            placeholder={chosen.model}
            catalog={[]}
            error={failed?.fieldErrors?.model}
          />
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" size="sm" disabled={pending} aria-busy={pending}>
          {pending ? "Adding…" : "Add model"}
        </Button>
        <p className="text-xs text-muted-foreground">Added last: the models above are tried first.</p>
      </div>
      {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
    </form>
  );
}
