"use client";

import { StarIcon } from "lucide-react";
import { useTransition } from "react";
import { setDefaultAction } from "@/app/(dashboard)/_actions/credentials";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";

/** "Set as Default" for an org credential shared with the user: makes it their personal default. */
export function SetSharedDefaultButton({ credentialId, label, isDefault }: { credentialId: string; label: string; isDefault: boolean }) {
  const [pending, startTransition] = useTransition();
  function choose() {
    startTransition(async () => {
      const result = await setDefaultAction(null, credentialId);
      if (result.ok) toast.success(`${label} is now your default`);
      else toast.error(result.error);
    });
  }
  return (
    <Button type="button" variant="outline" disabled={pending || isDefault} aria-busy={pending} onClick={choose}>
      <StarIcon aria-hidden /> Set as Default
    </Button>
  );
}
