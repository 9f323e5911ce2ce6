"use client";

import { useActionState } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { FormAlert } from "./form-alert";

/** A "Sign out" button as a form; signing out lands on /login. */
export function SignOutForm() {
  const [state, action, pending] = useActionState<ActionState | null>(() => signOutAction(), null);
  return (
    <form action={action} className="grid gap-3">
      {state && !state.ok ? <FormAlert message={state.error} /> : null}
      <Button type="submit" variant="outline" disabled={pending} aria-busy={pending} className="w-full">
        Sign out
      </Button>
    </form>
  );
}
