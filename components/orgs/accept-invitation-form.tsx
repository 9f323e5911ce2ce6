"use client";

import { useActionState } from "react";
import { acceptInvitationAction } from "@/app/(dashboard)/_actions/orgs";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";

/** "Accept invitation": joins and lands on the organization's models page. */
export function AcceptInvitationForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<ActionState | null>(() => acceptInvitationAction(token), null);
  return (
    <form action={action} className="grid gap-3">
      {state && !state.ok ? <FormAlert message={state.error} /> : null}
      <Button type="submit" disabled={pending} aria-busy={pending} className="w-full">
        {pending ? "Joining…" : "Accept invitation"}
      </Button>
    </form>
  );
}
