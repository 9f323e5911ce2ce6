"use client";

import { CrownIcon, UserMinusIcon } from "lucide-react";
import { useOptimistic, useRef, useState, useTransition } from "react";
import { changeRoleAction, removeMemberAction, transferOwnershipAction } from "@/app/(dashboard)/_actions/orgs";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import { assignableRoles, can, ORG_ROLES, type OrgRole } from "@/lib/orgs/roles";
import { cn } from "@/lib/utils";
import { selectClass } from "./invite-form";
import { tokensRevokedNote, tokensRevokedSuffix } from "./org-token-note";
import { ROLE_LABELS, RoleBadge } from "./role-badge";

export type MemberRow = {
  userId: string;
  name: string;
  email: string;
  role: OrgRole;
  /** Active org tokens they created: revoked if they are removed or drop below admin. */
  orgTokens: number;
};
type Viewer = { userId: string; role: OrgRole; orgName: string };

/** What the viewer may do to one row; the server checks all of it again. */
function permissions(viewer: Viewer, row: MemberRow) {
  const manager = viewer.role === "owner" || viewer.role === "admin";
  const self = row.userId === viewer.userId;
  const touchable = manager && (row.role !== "owner" || viewer.role === "owner");
  return {
    changeRole: touchable,
    remove: touchable && !self,
    makeOwner: viewer.role === "owner" && !self && row.role !== "owner",
  };
}

function MemberTableRow({ slug, viewer, row }: { slug: string; viewer: Viewer; row: MemberRow }) {
  const [pending, startTransition] = useTransition();
  const [role, setOptimisticRole] = useOptimistic(row.role);
  const may = permissions(viewer, row);
  const self = row.userId === viewer.userId;
  const allowed = assignableRoles(viewer.role);
  const who = self ? "You" : row.name;
  const tokenNote = tokensRevokedNote(row.orgTokens, self);
  // A demotion below admin that would revoke org tokens is confirmed first.
  const [demoteTo, setDemoteTo] = useState<OrgRole | null>(null);
  const roleSelect = useRef<HTMLSelectElement>(null);

  function changeRole(next: OrgRole) {
    startTransition(async () => {
      setOptimisticRole(next);
      const result = await changeRoleAction(slug, row.userId, next);
      if (result.ok) {
        toast.success(
          `${who} ${self ? "are" : "is"} now ${next === "admin" ? "an" : "a"} ${next}${tokensRevokedSuffix(result.data?.tokensRevoked)}`,
        );
      } else toast.error(result.error);
    });
  }

  function chooseRole(next: OrgRole) {
    const revokes = row.orgTokens > 0 && can(row.role, "manage_tokens") && !can(next, "manage_tokens");
    if (revokes) setDemoteTo(next);
    else changeRole(next);
  }

  function run(action: () => Promise<{ ok: boolean; error?: string }>, success: string) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) toast.success(success);
      else toast.error(result.error ?? "Something went wrong.");
    });
  }

  function remove() {
    startTransition(async () => {
      const result = await removeMemberAction(slug, row.userId);
      if (result.ok) toast.success(`${row.name} removed from ${viewer.orgName}${tokensRevokedSuffix(result.data?.tokensRevoked)}`);
      else toast.error(result.error);
    });
  }

  return (
    // Phone: one block per member (name, then role and actions); a table row from sm up.
    <tr
      className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b px-4 py-3 align-middle last:border-0 sm:table-row sm:p-0"
      aria-busy={pending || undefined}
    >
      <th scope="row" className="block w-full min-w-0 text-left font-normal sm:table-cell sm:w-auto sm:px-4 sm:py-2.5">
        <span className="block font-medium break-words">
          {row.name}
          {self ? <span className="ml-1.5 text-xs font-normal text-muted-foreground">(you)</span> : null}
        </span>
        <span className="block text-xs break-all text-muted-foreground">{row.email}</span>
      </th>
      <td className="block sm:table-cell sm:px-4 sm:py-2.5">
        {viewer.role === "member" ? (
          <RoleBadge role={row.role} />
        ) : (
          <select
            ref={roleSelect}
            aria-label="Role"
            value={role}
            disabled={!may.changeRole || pending}
            onChange={(e) => chooseRole(e.target.value as OrgRole)}
            className={cn(selectClass, "w-28")}
            title={may.changeRole ? undefined : "Only owners can change an owner's role"}
          >
            {ORG_ROLES.map((option) => (
              <option key={option} value={option} disabled={!allowed.includes(option) && option !== row.role}>
                {ROLE_LABELS[option]}
              </option>
            ))}
          </select>
        )}
        {may.changeRole ? (
          <ConfirmDialog
            open={demoteTo !== null}
            onOpenChange={(open) => (open ? undefined : setDemoteTo(null))}
            returnFocus={roleSelect}
            title={self ? "Make yourself a member?" : `Make ${row.name} a member?`}
            description={
              <>
                {self ? "You" : row.name} can no longer manage providers, members or tokens of {viewer.orgName}.{" "}
                <span className="font-medium text-foreground">{tokenNote}</span>
              </>
            }
            confirmLabel="Make member"
            onConfirm={() => (demoteTo ? changeRole(demoteTo) : undefined)}
          />
        ) : null}
      </td>
      {viewer.role !== "member" ? (
        <td className="block flex-1 sm:table-cell sm:px-4 sm:py-2.5">
          <div className="flex flex-wrap justify-end gap-1.5">
            {may.makeOwner ? (
              <ConfirmDialog
                trigger={
                  <Button variant="outline" size="sm" disabled={pending}>
                    <CrownIcon aria-hidden /> Make owner<span className="sr-only"> ({row.name})</span>
                  </Button>
                }
                title={`Make ${row.name} the owner?`}
                description={`${row.name} becomes an owner of ${viewer.orgName} and you become an admin. Only an owner can make you an owner again.`}
                confirmLabel="Make owner"
                destructive={false}
                onConfirm={() => run(() => transferOwnershipAction(slug, row.userId), `${row.name} is now an owner; you are an admin`)}
              />
            ) : null}
            {may.remove ? (
              <ConfirmDialog
                trigger={
                  <Button
                    variant="ghost"
                    size="sm"
                    className="text-destructive hover:text-destructive"
                    disabled={pending}
                    aria-label={`Remove ${row.name}`}
                  >
                    <UserMinusIcon aria-hidden /> Remove
                  </Button>
                }
                title={`Remove ${row.name}?`}
                description={
                  <>
                    {row.name} loses access to {viewer.orgName} and its shared providers at once.
                    {tokenNote ? <span className="font-medium text-foreground"> {tokenNote}</span> : null}
                  </>
                }
                confirmLabel="Remove"
                onConfirm={remove}
              />
            ) : null}
          </div>
        </td>
      ) : null}
    </tr>
  );
}

/** Everyone in the organization; owners and admins change roles, remove people and (owners) hand over ownership. */
export function MemberTable({ slug, viewer, members }: { slug: string; viewer: Viewer; members: MemberRow[] }) {
  const manager = viewer.role !== "member";
  return (
    <div className="overflow-x-auto rounded-xl border bg-card">
      <table className="block w-full text-sm sm:table">
        <caption className="sr-only">Members of {viewer.orgName}</caption>
        <thead className="hidden border-b text-left text-xs text-muted-foreground sm:table-header-group">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Member
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Role
            </th>
            {manager ? (
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="block sm:table-row-group">
          {members.map((row) => (
            <MemberTableRow key={row.userId} slug={slug} viewer={viewer} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
