import { AlertCircleIcon, CircleCheckIcon, InfoIcon } from "lucide-react";
import type { LoginNotice } from "@/lib/auth/login-notices";
import { cn } from "@/lib/utils";

const STYLES = {
  error: { Icon: AlertCircleIcon, box: "border-destructive/30 bg-destructive/10 text-destructive", icon: "" },
  success: { Icon: CircleCheckIcon, box: "border-success/30 bg-success/10 text-foreground", icon: "text-success" },
  info: { Icon: InfoIcon, box: "border-primary/30 bg-primary/5 text-foreground", icon: "text-primary" },
} as const;

/** A message /login shows on arrival (lib/auth/login-notices.ts): errors are alerts, the rest status. */
export function LoginNoticeBox({ notice }: { notice: LoginNotice }) {
  const { Icon, box, icon } = STYLES[notice.tone];
  return (
    <div
      role={notice.tone === "error" ? "alert" : "status"}
      className={cn("flex items-start gap-2 rounded-md border px-3 py-2 text-sm", box)}
    >
      <Icon className={cn("mt-0.5 size-4 shrink-0", icon)} aria-hidden />
      <span>{notice.message}</span>
    </div>
  );
}
