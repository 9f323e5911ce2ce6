"use client";

import { useActionState } from "react";
import { resetPasswordAction } from "@/app/(auth)/_actions/password";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { FormAlert } from "./form-alert";

/** New password + confirmation for a reset link; success lands on /login. */
export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState(
    (prev: ActionState | null, formData: FormData) => resetPasswordAction(token, prev, formData),
    null,
  );
  const failed = state && !state.ok ? state : undefined;
  const fieldErrors = failed?.fieldErrors ?? {};
  const formError = failed && !failed.fieldErrors ? failed.error : undefined;

  return (
    <form action={action} className="grid gap-4" noValidate>
      {/* For password managers: the account this new password belongs to. */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <FormAlert message={formError} />
      <Field
        id="password"
        label="New password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase works well.`}
        error={fieldErrors.password}
      >
        <Input
          {...fieldAria("password", fieldErrors.password, true)}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          minLength={PASSWORD_MIN_LENGTH}
          disabled={pending}
        />
      </Field>
      <Field id="confirmPassword" label="Confirm new password" error={fieldErrors.confirmPassword}>
        <Input
          {...fieldAria("confirmPassword", fieldErrors.confirmPassword)}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          disabled={pending}
        />
      </Field>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Resetting password…" : "Reset password"}
      </Button>
    </form>
  );
}
