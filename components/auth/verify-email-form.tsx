"use client";

import { CircleCheckIcon } from "lucide-react";
import Link from "next/link";
import { useActionState } from "react";
import { verifyEmailAction } from "@/app/(auth)/_actions/verify-email";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { FormAlert } from "./form-alert";

/** The button a verification link leads to: verifying is a POST, so a mail scanner's GET does nothing. */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<ActionState<{ email: string }> | null>(() => verifyEmailAction(token), null);

  if (state?.ok) {
    return (
      <div className="grid gap-4">
        <div role="status" className="flex items-start gap-2 rounded-md border border-success/30 bg-success/10 px-3 py-2 text-sm">
          <CircleCheckIcon className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
          <span>
            Your email address <strong className="break-words">{state.data?.email}</strong> is verified.
          </span>
        </div>
        <Button asChild>
          <Link href="/agent/models">Go to the dashboard</Link>
        </Button>
      </div>
    );
  }
  return (
    <form action={action} className="grid gap-3">
      {state && !state.ok ? <FormAlert message={state.error} /> : null}
      <Button type="submit" disabled={pending} aria-busy={pending} className="w-full">
        {pending ? "Verifying…" : "Verify email"}
      </Button>
    </form>
  );
}
