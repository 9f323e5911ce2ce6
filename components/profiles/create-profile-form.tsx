"use client";

import { useActionState, useEffect, useRef } from "react";
import { createProfileAction } from "@/app/(dashboard)/_actions/profiles";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";

const NAME_HINT = "Lowercase letters, digits and dashes, e.g. coder. Agents send it as ?profile=coder.";

/** "Profile name" → "Create profile". The new profile appears below (the page revalidates). */
export function CreateProfileForm({ orgSlug }: { orgSlug: string | null }) {
  const [state, action, pending] = useActionState(createProfileAction.bind(null, orgSlug), null);
  const formRef = useRef<HTMLFormElement>(null);
  const failed = state && !state.ok ? state : undefined;
  const created = state?.ok ? state.data : undefined;

  useEffect(() => {
    if (!created) return;
    toast.success(`Profile “${created.name}” created`);
    formRef.current?.reset();
  }, [created]);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create a profile</CardTitle>
        <CardDescription>Name it after the job (coder, fast, cheap), then add up to five models in the order to try them.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <form ref={formRef} action={action} className="grid gap-3 sm:grid-cols-[minmax(0,24rem)_auto] sm:items-start" noValidate>
          <Field id="profile-name" label="Profile name" hint={NAME_HINT} error={failed?.fieldErrors?.name}>
            <Input
              {...fieldAria("profile-name", failed?.fieldErrors?.name, true)}
              name="name"
              maxLength={40}
              placeholder="coder"
              autoComplete="off"
              spellCheck={false}
              defaultValue={failed?.values?.name ?? ""}
              required
            />
          </Field>
          <Button type="submit" className="sm:mt-[1.375rem] sm:justify-self-start" disabled={pending} aria-busy={pending}>
            {pending ? "Creating…" : "Create profile"}
          </Button>
        </form>
        {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
      </CardContent>
    </Card>
  );
}
