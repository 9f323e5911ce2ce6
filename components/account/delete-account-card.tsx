"use client";

import { Trash2Icon } from "lucide-react";
import { useActionState, useState } from "react";
import { deleteAccountAction } from "@/app/(dashboard)/_actions/account";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/**
 * "Delete account": a dialog asking for the password (accounts without one type their email).
 * The server refuses while the user is an organization's last owner and says which; the card
 * says so up front too. On success the action signs out and goes to /login.
 */
export function DeleteAccountCard({ email, hasPassword, lastOwnerOf }: { email: string; hasPassword: boolean; lastOwnerOf: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <Card className="border-destructive/40">
      <CardHeader>
        <CardTitle>Delete account</CardTitle>
        <CardDescription>
          Deletes your providers, agent tokens, memberships and personal activity at once. Organizations keep their activity, where you
          appear as “a deleted user”; org tokens you created are revoked. This cannot be undone.
        </CardDescription>
        {lastOwnerOf.length ? (
          <p className="text-sm font-medium text-warning">
            You are the last owner of {lastOwnerOf.join(", ")}: make another member an owner before deleting your account.
          </p>
        ) : null}
      </CardHeader>
      <CardFooter className="justify-end">
        <Dialog open={open} onOpenChange={setOpen}>
          <DialogTrigger asChild>
            <Button variant="destructive">
              <Trash2Icon aria-hidden /> Delete account
            </Button>
          </DialogTrigger>
          <DialogContent>{open ? <DeleteAccountForm email={email} hasPassword={hasPassword} /> : null}</DialogContent>
        </Dialog>
      </CardFooter>
    </Card>
  );
}

function DeleteAccountForm({ email, hasPassword }: { email: string; hasPassword: boolean }) {
  const [state, action, pending] = useActionState(deleteAccountAction, null);
  const failed = state && !state.ok ? state : undefined;
  const errors = failed?.fieldErrors ?? {};
  const field = hasPassword ? "password" : "email";
  return (
    <form action={action} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>Delete your account?</DialogTitle>
        <DialogDescription>
          {hasPassword ? (
            "Enter your password to confirm. Your account and everything in it is deleted at once, and you are signed out."
          ) : (
            <>
              Type your email, <span className="font-medium break-all text-foreground">{email}</span>, to confirm. Your account and
              everything in it is deleted at once, and you are signed out.
            </>
          )}
        </DialogDescription>
      </DialogHeader>
      <Field id={`delete-${field}`} label={hasPassword ? "Password" : "Email"} error={errors[field]}>
        <Input
          {...fieldAria(`delete-${field}`, errors[field])}
          name={field}
          type={hasPassword ? "password" : "email"}
          autoComplete={hasPassword ? "current-password" : "off"}
          required
          autoFocus
          disabled={pending}
        />
      </Field>
      {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" variant="destructive" disabled={pending} aria-busy={pending}>
          {pending ? "Deleting…" : "Delete my account"}
        </Button>
      </DialogFooter>
    </form>
  );
}
