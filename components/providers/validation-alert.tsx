import { AlertTriangleIcon, XCircleIcon } from "lucide-react";
import type { ValidationReport } from "@/lib/credentials/save";
import { cn } from "@/lib/utils";

/**
 * Why a save failed, in the card: the seed's message first, then the fix, then what the provider
 * said (already masked on the server). Transient outcomes are shown as warnings.
 */
export function ValidationAlert({ report, children }: { report: ValidationReport; children?: React.ReactNode }) {
  const transient = report.canSaveAnyway;
  const Icon = transient ? AlertTriangleIcon : XCircleIcon;
  return (
    <div
      role="alert"
      className={cn(
        "grid gap-1 rounded-lg border px-3 py-2.5 text-sm",
        transient ? "border-warning/40 bg-warning/10" : "border-destructive/30 bg-destructive/10",
      )}
    >
      <p className={cn("flex items-start gap-2 font-medium", transient ? "text-foreground" : "text-destructive")}>
        <Icon className={cn("mt-0.5 size-4 shrink-0", transient ? "text-warning" : "text-destructive")} aria-hidden />
        <span>{report.title}</span>
      </p>
      {report.solution ? <p className="pl-6 text-foreground/90">{report.solution}</p> : null}
      {report.providerMessage ? (
        <p className="pl-6 text-xs break-words text-muted-foreground">
          Provider said{report.httpStatus ? ` (HTTP ${report.httpStatus})` : ""}: {report.providerMessage}
        </p>
      ) : null}
      {children ? <div className="pt-1 pl-6">{children}</div> : null}
    </div>
  );
}
