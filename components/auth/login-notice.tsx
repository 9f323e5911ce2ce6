import { AlertCircleIcon, InfoIcon } from "lucide-react";
import type { LoginNotice } from "@/lib/auth/sso-messages";

/** A message /login shows on arrival: why single sign-on stopped, or what to do next. */
export function LoginNoticeBox({ notice }: { notice?: LoginNotice }) {
  if (!notice) return null;
  const error = notice.tone === "error";
  const Icon = error ? AlertCircleIcon : InfoIcon;
  return (
    <div
      role={error ? "alert" : "status"}
      className={
        error
          ? "flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive"
          : "flex items-start gap-2 rounded-md border border-primary/30 bg-primary/5 px-3 py-2 text-sm text-foreground"
      }
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>{notice.message}</span>
    </div>
  );
}
