import { CheckCircle2Icon, CircleDashedIcon, CircleHelpIcon, StarIcon, XCircleIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";

export type CardStatus = "not_configured" | "valid" | "invalid" | "unverified";

const LOOK = {
  not_configured: { label: "Not Configured", variant: "neutral", Icon: CircleDashedIcon },
  valid: { label: "Valid", variant: "success", Icon: CheckCircle2Icon },
  invalid: { label: "Invalid", variant: "destructive", Icon: XCircleIcon },
  unverified: { label: "Unverified", variant: "warning", Icon: CircleHelpIcon },
} as const;

export function StatusBadge({ status }: { status: CardStatus }) {
  const { label, variant, Icon } = LOOK[status];
  return (
    <Badge variant={variant}>
      <Icon aria-hidden /> {label}
    </Badge>
  );
}

export function DefaultBadge() {
  return (
    <Badge variant="primary">
      <StarIcon aria-hidden /> Default
    </Badge>
  );
}
