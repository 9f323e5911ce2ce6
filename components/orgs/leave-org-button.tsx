"use client";

import { LogOutIcon } from "lucide-react";
import { useTransition } from "react";
import { leaveOrgAction } from "@/app/(dashboard)/_actions/orgs";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import { tokensRevokedNote } from "./org-token-note";

/**
 * "Leave organization", confirmed (saying how many of the org tokens you created will be revoked);
 * the last owner gets the server's explanation as an error toast.
 */
export function LeaveOrgButton({ slug, orgName, orgTokens = 0 }: { slug: string; orgName: string; orgTokens?: number }) {
  const tokenNote = tokensRevokedNote(orgTokens, true);
  const [pending, startTransition] = useTransition();
  function leave() {
    startTransition(async () => {
      const result = await leaveOrgAction(slug);
      // On success the action redirects to the personal dashboard.
      if (result && !result.ok) toast.error(result.error);
    });
  }
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" className="text-destructive hover:text-destructive" disabled={pending} aria-busy={pending}>
          <LogOutIcon aria-hidden /> {pending ? "Leaving…" : "Leave organization"}
        </Button>
      }
      title={`Leave ${orgName}?`}
      description={
        <>
          You lose access to its shared providers at once, and a default that pointed at one of them is cleared. You need a new invitation
          to come back.
          {tokenNote ? <span className="font-medium text-foreground"> {tokenNote}</span> : null}
        </>
      }
      confirmLabel="Leave organization"
      onConfirm={leave}
    />
  );
}
