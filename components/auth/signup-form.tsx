"use client";

import Link from "next/link";
import { useActionState } from "react";
import { signUpAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { FormAlert } from "./form-alert";

export function SignupForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState(signUpAction, null);
  const failed = state && !state.ok ? state : undefined;
  const fieldErrors = failed?.fieldErrors ?? {};
  const formError = failed && !failed.fieldErrors ? failed.error : undefined;
  const passwordHint = `At least ${PASSWORD_MIN_LENGTH} characters. A passphrase works well.`;

  return (
    <form action={action} className="grid gap-4" noValidate>
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <FormAlert message={formError} />
      <Field id="name" label="Name" error={fieldErrors.name}>
        <Input
          {...fieldAria("name", fieldErrors.name)}
          name="name"
          autoComplete="name"
          required
          autoFocus
          maxLength={100}
          defaultValue={failed?.values?.name ?? ""}
          disabled={pending}
        />
      </Field>
      <Field id="email" label="Email" error={fieldErrors.email}>
        <Input
          {...fieldAria("email", fieldErrors.email)}
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          defaultValue={failed?.values?.email ?? ""}
          disabled={pending}
        />
      </Field>
      <Field id="password" label="Password" hint={passwordHint} error={fieldErrors.password}>
        <Input
          {...fieldAria("password", fieldErrors.password, true)}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          disabled={pending}
        />
      </Field>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        Already have an account?{" "}
        <Link
          href={callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login"}
          className="font-medium text-primary underline-offset-4 hover:underline"
        >
          Sign in
        </Link>
      </p>
    </form>
  );
}
