"use client";

import { useActionState, useEffect } from "react";
import { changeNameAction } from "@/app/(dashboard)/_actions/account";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";

/** The name shown to the user and to members of their organizations; the email, read-only. */
export function NameForm({ name, email }: { name: string; email: string }) {
  const [state, action, pending] = useActionState(changeNameAction, null);
  const failed = state && !state.ok ? state : undefined;
  const saved = state?.ok ? state.data?.name : undefined;

  useEffect(() => {
    if (state?.ok) toast.success("Name saved");
  }, [state]);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Profile</CardTitle>
        <CardDescription>Your name is shown to the members of your organizations and in activity logs.</CardDescription>
      </CardHeader>
      <CardContent>
        <form action={action} className="grid gap-4" noValidate>
          <div className="grid gap-1.5">
            <span className="text-sm font-medium">Email</span>
            <p className="text-sm break-all text-muted-foreground">{email}</p>
          </div>
          <div className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end">
            <Field id="account-name" label="Name" error={failed?.fieldErrors?.name}>
              <Input
                {...fieldAria("account-name", failed?.fieldErrors?.name)}
                name="name"
                autoComplete="name"
                maxLength={100}
                required
                defaultValue={failed?.values?.name ?? saved ?? name}
                key={saved ?? name}
                disabled={pending}
              />
            </Field>
            <Button type="submit" disabled={pending} aria-busy={pending} className="justify-self-start">
              {pending ? "Saving…" : "Save name"}
            </Button>
          </div>
          {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
        </form>
      </CardContent>
    </Card>
  );
}
