"use client";

import { useActionState, useEffect } from "react";
import { renameProfileAction } from "@/app/(dashboard)/_actions/profiles";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";

/** Inline rename: "Profile name" → "Save". Agents asking for the old name get profile_not_found. */
export function RenameForm({
  orgSlug,
  profileId,
  name,
  onDone,
}: {
  orgSlug: string | null;
  profileId: string;
  name: string;
  onDone: (renamed: boolean) => void;
}) {
  const [state, action, pending] = useActionState(renameProfileAction.bind(null, orgSlug, profileId), null);
  const failed = state && !state.ok ? state : undefined;
  const uid = `rename-${profileId}`;

  useEffect(() => {
    if (!state?.ok) return;
    toast.success(`Profile renamed to “${state.data?.name}”`);
    onDone(true);
  }, [state, onDone]);

  return (
    <form action={action} className="grid gap-2" noValidate>
      <div className="flex flex-wrap items-start gap-2">
        <Field id={uid} label="Profile name" error={failed?.fieldErrors?.name} className="min-w-0 flex-1 basis-48">
          <Input
            {...fieldAria(uid, failed?.fieldErrors?.name)}
            name="name"
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            defaultValue={failed?.values?.name ?? name}
            autoFocus
            onKeyDown={(e) => {
              if (e.key === "Escape") onDone(false);
            }}
          />
        </Field>
        <div className="flex gap-2 pt-[1.375rem]">
          <Button type="submit" size="sm" className="h-9" disabled={pending} aria-busy={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
          <Button variant="ghost" size="sm" className="h-9" onClick={() => onDone(false)}>
            Cancel
          </Button>
        </div>
      </div>
      <p className="text-xs text-muted-foreground">Agents asking for the old name stop getting this profile.</p>
      {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
    </form>
  );
}
