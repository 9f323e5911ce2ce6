"use client";

import { KeyRoundIcon } from "lucide-react";
import { useActionState } from "react";
import { startSsoAction } from "@/app/(auth)/_actions/sso";
import { Button } from "@/components/ui/button";
import { FormAlert } from "./form-alert";

/** "Sign in with <provider>", then a divider before the password form. Only rendered when SSO is configured. */
export function SsoSignIn({ providerName, callbackUrl }: { providerName: string; callbackUrl?: string }) {
  const [state, action, pending] = useActionState(startSsoAction, null);
  const error = state && !state.ok ? state.error : undefined;
  return (
    <div className="grid gap-4">
      <form action={action} className="grid gap-3">
        {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
        <FormAlert message={error} />
        <Button type="submit" variant="outline" className="w-full" disabled={pending} aria-busy={pending}>
          <KeyRoundIcon aria-hidden />
          {pending ? `Opening ${providerName}…` : `Sign in with ${providerName}`}
        </Button>
      </form>
      <div className="flex items-center gap-3 text-xs text-muted-foreground" role="separator" aria-label="or">
        <span className="h-px flex-1 bg-border" />
        <span aria-hidden>or with your email</span>
        <span className="h-px flex-1 bg-border" />
      </div>
    </div>
  );
}
