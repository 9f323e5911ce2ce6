import { CrownIcon, ShieldIcon, UserIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { OrgRole } from "@/lib/orgs/roles";

export const ROLE_LABELS: Record<OrgRole, string> = { owner: "Owner", admin: "Admin", member: "Member" };

const ICONS = { owner: CrownIcon, admin: ShieldIcon, member: UserIcon } as const;

/** A member's role, as a small badge. */
export function RoleBadge({ role, className }: { role: OrgRole; className?: string }) {
  const Icon = ICONS[role];
  return (
    <Badge variant={role === "member" ? "neutral" : "primary"} className={className}>
      <Icon aria-hidden /> {ROLE_LABELS[role]}
    </Badge>
  );
}
