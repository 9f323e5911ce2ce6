"use client";

import { useActionState, useEffect } from "react";
import { changePasswordAction } from "@/app/(dashboard)/_actions/account";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";

/**
 * Change password: the current one, then the new one (house rules). Every other session ends; this
 * browser stays signed in. Accounts without a password (single sign-on only) get a note instead.
 */
export function PasswordForm({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Password</CardTitle>
        <CardDescription>
          {hasPassword
            ? "Changing your password signs you out on every other device. This browser stays signed in."
            : "You sign in with single sign-on (SSO): this account has no password to change. Your identity provider manages your sign-in."}
        </CardDescription>
      </CardHeader>
      {hasPassword ? (
        <CardContent>
          <ChangePassword email={email} />
        </CardContent>
      ) : null}
    </Card>
  );
}

function ChangePassword({ email }: { email: string }) {
  const [state, action, pending] = useActionState(changePasswordAction, null);
  const failed = state && !state.ok ? state : undefined;
  const errors = failed?.fieldErrors ?? {};

  useEffect(() => {
    if (!state) return;
    if (state.ok) {
      toast.success("Password changed", { description: "You were signed out on every other device." });
    } else if (state.code === "rate_limited") {
      toast.error(state.error);
    }
  }, [state]);

  // React empties the fields after each submit, so a password never stays in the page.
  return (
    <form action={action} className="grid gap-4 sm:max-w-md" noValidate>
      {/* Lets password managers file the new password under the right account; not submitted. */}
      <input type="text" autoComplete="username" value={email} readOnly hidden />
      <Field id="current-password" label="Current password" error={errors.currentPassword}>
        <Input
          {...fieldAria("current-password", errors.currentPassword)}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          maxLength={PASSWORD_MAX_LENGTH}
          required
          disabled={pending}
        />
      </Field>
      <Field id="new-password" label="New password" hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} error={errors.newPassword}>
        <Input
          {...fieldAria("new-password", errors.newPassword, true)}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={PASSWORD_MAX_LENGTH}
          required
          disabled={pending}
        />
      </Field>
      {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
      <div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
