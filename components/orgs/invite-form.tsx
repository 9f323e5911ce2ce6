"use client";

import { MailCheckIcon, MailXIcon } from "lucide-react";
import { useActionState, useEffect } from "react";
import { inviteAction } from "@/app/(dashboard)/_actions/orgs";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { OrgRole } from "@/lib/orgs/roles";
import { ROLE_LABELS } from "./role-badge";

export const selectClass =
  "h-9 w-full rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-60";

/** Invite by email; the single-use link is shown here to copy (and emailed when SMTP is set up). */
export function InviteForm({ slug, roles, mailEnabled }: { slug: string; roles: OrgRole[]; mailEnabled: boolean }) {
  const [state, action, pending] = useActionState(inviteAction.bind(null, slug), null);
  const failed = state && !state.ok ? state : undefined;
  const invited = state?.ok ? state.data : undefined;
  const errors = failed?.fieldErrors ?? {};

  useEffect(() => {
    if (invited) toast.success(invited.emailed ? `Invitation emailed to ${invited.email}` : `Invitation for ${invited.email} created`);
  }, [invited]);

  return (
    <div className="grid gap-4">
      <form action={action} noValidate className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <Field id="invite-email" label="Email" error={errors.email}>
          <Input
            {...fieldAria("invite-email", errors.email)}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="off"
            placeholder="teammate@example.com"
            defaultValue={failed?.values?.email ?? ""}
            disabled={pending}
            required
          />
        </Field>
        <Field id="invite-role" label="Role" error={errors.role}>
          <select
            {...fieldAria("invite-role", errors.role)}
            name="role"
            defaultValue={failed?.values?.role || "member"}
            disabled={pending}
            className={selectClass}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </Field>
        <Button type="submit" disabled={pending} aria-busy={pending} className="sm:mt-[1.375rem]">
          {pending ? "Inviting…" : "Invite"}
        </Button>
      </form>
      {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
      {invited ? (
        <div className="grid gap-3 rounded-lg border border-primary/30 bg-primary/5 p-4">
          <CopyField label="Invitation link" value={invited.link} autoFocus />
          <p className="flex items-start gap-2 text-sm text-muted-foreground" role="status">
            {invited.emailed ? (
              <>
                <MailCheckIcon className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
                <span>We emailed this link to {invited.email}. It works once and expires in 7 days.</span>
              </>
            ) : (
              <>
                <MailXIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
                <span>
                  Not emailed{mailEnabled ? " (sending failed)" : " (email is not set up on this server)"}: send this link to{" "}
                  {invited.email} yourself. It works once and expires in 7 days.
                </span>
              </>
            )}
          </p>
        </div>
      ) : null}
    </div>
  );
}
