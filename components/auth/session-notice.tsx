import { InfoIcon } from "lucide-react";

/** Why the visitor is on /login, from `?notice=` (a fixed list: the URL never supplies the text). */
const NOTICES = {
  "session-ended": "Your session has ended. Please sign in again.",
  "signed-out-everywhere": "You were signed out of all devices.",
  "account-deleted": "Your account was deleted. Thank you for using BYOK.",
} as const;

export function sessionNotice(value: unknown): string | undefined {
  return typeof value === "string" && Object.hasOwn(NOTICES, value) ? NOTICES[value as keyof typeof NOTICES] : undefined;
}

export function SessionNotice({ notice }: { notice: unknown }) {
  const message = sessionNotice(notice);
  if (!message) return null;
  return (
    <div role="status" className="flex items-start gap-2 rounded-md border bg-muted/50 px-3 py-2 text-sm">
      <InfoIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
      <span>{message}</span>
    </div>
  );
}
