"use client";

import { MailIcon } from "lucide-react";
import { useTransition } from "react";
import { revokeInvitationAction } from "@/app/(dashboard)/_actions/orgs";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { toast } from "@/components/ui/toaster";
import type { OrgRole } from "@/lib/orgs/roles";
import { RoleBadge } from "./role-badge";

export type InvitationRow = { id: string; email: string; role: OrgRole; expiresAt: string };

/** Invitations not yet accepted, each with "Revoke" (the link stops working at once). */
export function InvitationList({ slug, invitations }: { slug: string; invitations: InvitationRow[] }) {
  const [pending, startTransition] = useTransition();
  if (invitations.length === 0) {
    return <p className="text-sm text-muted-foreground">No pending invitations.</p>;
  }
  function revoke(invitation: InvitationRow) {
    startTransition(async () => {
      const result = await revokeInvitationAction(slug, invitation.id);
      if (result.ok) toast.success(`Invitation for ${invitation.email} revoked`);
      else toast.error(result.error);
    });
  }
  return (
    <ul className="grid divide-y rounded-lg border" aria-label="Pending invitations">
      {invitations.map((invitation) => (
        <li key={invitation.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2.5 text-sm">
          <MailIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span className="min-w-0 flex-1 font-medium break-all">{invitation.email}</span>
          <RoleBadge role={invitation.role} />
          <span className="text-xs text-muted-foreground">
            Expires <RelativeTime iso={invitation.expiresAt} />
          </span>
          <Button
            variant="outline"
            size="sm"
            disabled={pending}
            onClick={() => revoke(invitation)}
            aria-label={`Revoke invitation for ${invitation.email}`}
          >
            Revoke
          </Button>
        </li>
      ))}
    </ul>
  );
}
