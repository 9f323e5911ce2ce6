"use client";

import { MailIcon } from "lucide-react";
import { useActionState } from "react";
import { resendVerificationAction } from "@/app/(dashboard)/_actions/verification";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { cn } from "@/lib/utils";

/** "Resend verification email" with its outcome beside it (sent, or the wait when limited). */
export function ResendVerificationButton({ className, align = "start" }: { className?: string; align?: "start" | "end" }) {
  const [state, action, pending] = useActionState<ActionState | null>(() => resendVerificationAction(), null);
  return (
    <form action={action} className={cn("grid gap-2", className)}>
      <Button
        type="submit"
        variant="outline"
        size="sm"
        disabled={pending}
        aria-busy={pending}
        className={align === "end" ? "justify-self-start sm:justify-self-end" : "justify-self-start"}
      >
        <MailIcon aria-hidden />
        {pending ? "Sending…" : "Resend verification email"}
      </Button>
      {state ? (
        <p role={state.ok ? "status" : "alert"} className={cn("text-sm", state.ok ? "text-foreground" : "text-destructive")}>
          {state.ok ? state.message : state.error}
        </p>
      ) : null}
    </form>
  );
}
