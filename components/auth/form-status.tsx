import { CircleCheckIcon } from "lucide-react";

/** A form-level success message, announced politely by screen readers. */
export function FormStatus({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div
      role="status"
      className="flex items-start gap-2 rounded-md border border-success/30 bg-success/10 px-3 py-2 text-sm text-foreground"
    >
      <CircleCheckIcon className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
      <span>{message}</span>
    </div>
  );
}
