import { CheckCircle2Icon, CircleDashedIcon, CircleHelpIcon, StarIcon, WrenchIcon, XCircleIcon } from "lucide-react";
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

const TOOLS = {
  supported: { text: "Tools: supported", variant: "success" },
  unsupported: { text: "Tools: not supported", variant: "neutral" },
  unknown: { text: "Tools: unknown", variant: "neutral" },
} as const;

/** Whether the model calls tools (probed after each successful check). */
export function ToolsBadge({ tools }: { tools: keyof typeof TOOLS }) {
  const { text, variant } = TOOLS[tools];
  return (
    <Badge variant={variant} title="Probed after the last successful check with one small tool-calling request">
      <WrenchIcon aria-hidden /> {text}
    </Badge>
  );
}
