import { Building2Icon } from "lucide-react";
import type { ReactNode } from "react";
import type { OrgRole } from "@/lib/orgs/roles";
import { RoleBadge } from "./role-badge";

/** The top of an organization page: the organization and the viewer's role, then the page title. */
export function OrgPageHeader({
  orgName,
  role,
  title,
  description,
  actions,
}: {
  orgName: string;
  role: OrgRole;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-3">
      <div className="grid min-w-0 gap-1">
        <p className="flex min-w-0 flex-wrap items-center gap-2 text-sm text-muted-foreground">
          <Building2Icon className="size-4 shrink-0" aria-hidden />
          <span className="truncate font-medium text-foreground">{orgName}</span>
          <span className="sr-only">, your role:</span>
          <RoleBadge role={role} />
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="max-w-2xl text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}
