import { KeyRoundIcon } from "lucide-react";

export function Logo() {
  return (
    <span className="flex items-center gap-2 font-semibold tracking-tight">
      <span className="flex size-7 items-center justify-center rounded-lg bg-primary text-primary-foreground">
        <KeyRoundIcon className="size-4" aria-hidden />
      </span>
      BYOK
    </span>
  );
}
