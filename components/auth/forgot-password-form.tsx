"use client";

import { MailCheckIcon } from "lucide-react";
import Link from "next/link";
import { useActionState } from "react";
import { forgotPasswordAction } from "@/app/(auth)/_actions/password";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { FormAlert } from "./form-alert";

/** "Forgot password?": one email field; the answer is the same whether or not the account exists. */
export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState(forgotPasswordAction, null);
  const failed = state && !state.ok ? state : undefined;
  const fieldErrors = failed?.fieldErrors ?? {};
  const formError = failed && !failed.fieldErrors ? failed.error : undefined;

  if (state?.ok) {
    return (
      <div className="grid gap-4">
        <div role="status" className="flex items-start gap-3 rounded-lg border bg-card px-4 py-3 text-sm shadow-sm">
          <MailCheckIcon className="mt-0.5 size-5 shrink-0 text-primary" aria-hidden />
          <div className="grid gap-1">
            <p className="font-medium">Check your email</p>
            <p className="text-muted-foreground">{state.message}</p>
          </div>
        </div>
        <Button asChild variant="outline">
          <Link href="/login">Back to sign in</Link>
        </Button>
      </div>
    );
  }

  return (
    <form action={action} className="grid gap-4" noValidate>
      <FormAlert message={formError} />
      <Field id="email" label="Email" error={fieldErrors.email}>
        <Input
          {...fieldAria("email", fieldErrors.email)}
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          autoFocus
          defaultValue={failed?.values?.email ?? ""}
          disabled={pending}
        />
      </Field>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Sending…" : "Send reset link"}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        Remembered it?{" "}
        <Link href="/login" className="font-medium text-primary underline-offset-4 hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
