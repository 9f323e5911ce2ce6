"use client";

import { Loader2Icon, UsersIcon } from "lucide-react";
import { useId, useState, useTransition, type KeyboardEvent } from "react";
import { shareCredentialAction } from "@/app/(dashboard)/_actions/credentials";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";

export type ShareMember = { userId: string; name: string; email: string };
type Sharing = { mode: "all" | "selected"; userIds: string[] };

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

/**
 * Who may use an organization provider: all members, or the selected ones. Lives inside the
 * provider card's form, so its inputs carry no field names the card's Save would read, and Enter
 * here never submits the card.
 */
export function ShareControl({
  slug,
  credentialId,
  providerName,
  initial,
  members,
}: {
  slug: string;
  credentialId: string;
  providerName: string;
  initial: Sharing;
  /** Members with the "member" role: owners and admins can always use org providers. */
  members: ShareMember[];
}) {
  const uid = useId();
  const [mode, setMode] = useState(initial.mode);
  const [selected, setSelected] = useState<string[]>(initial.userIds);
  const [saved, setSaved] = useState<Sharing>(initial);
  const [pending, startTransition] = useTransition();
  const dirty = mode !== saved.mode || (mode === "selected" && !sameSet(selected, saved.userIds));

  function toggle(userId: string, checked: boolean) {
    setSelected((ids) => (checked ? [...ids, userId] : ids.filter((id) => id !== userId)));
  }

  function save() {
    const next: Sharing = { mode, userIds: mode === "selected" ? selected : [] };
    startTransition(async () => {
      const result = await shareCredentialAction(slug, credentialId, next);
      if (!result.ok) return void toast.error(result.error);
      setSaved(next);
      const count = next.userIds.length;
      toast.success(
        next.mode === "all"
          ? `${providerName} is shared with all members`
          : `${providerName} is shared with ${count === 0 ? "owners and admins only" : `${count} selected member${count === 1 ? "" : "s"}`}`,
      );
    });
  }

  function keepEnterHere(event: KeyboardEvent) {
    if (event.key === "Enter" && event.target instanceof HTMLInputElement) event.preventDefault();
  }

  return (
    <fieldset className="grid gap-2 rounded-lg border bg-muted/30 p-3" disabled={pending} onKeyDown={keepEnterHere}>
      <legend className="flex items-center gap-1.5 px-1 text-sm font-medium">
        <UsersIcon className="size-3.5 text-muted-foreground" aria-hidden /> Shared with
      </legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1.5 text-sm">
        {(["all", "selected"] as const).map((value) => (
          <label key={value} className="flex items-center gap-2">
            <input
              type="radio"
              name={`${uid}-share-mode`}
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
              className="size-4 accent-primary"
            />
            {value === "all" ? "All members" : "Selected members"}
          </label>
        ))}
      </div>
      {mode === "selected" ? (
        members.length > 0 ? (
          <ul className="grid max-h-40 gap-1 overflow-y-auto rounded-md border bg-card p-2 text-sm" aria-label="Members">
            {members.map((m) => (
              <li key={m.userId}>
                <label className="flex min-w-0 items-center gap-2">
                  <input
                    type="checkbox"
                    checked={selected.includes(m.userId)}
                    onChange={(e) => toggle(m.userId, e.target.checked)}
                    className="size-4 shrink-0 accent-primary"
                  />
                  <span className="grid min-w-0 sm:flex sm:items-baseline sm:gap-2">
                    <span className="truncate">{m.name}</span>
                    <span className="truncate text-xs text-muted-foreground">{m.email}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-muted-foreground">No members to choose yet: invite people on the Members page.</p>
        )
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-muted-foreground">Owners and admins can always use it. Members never see the key.</p>
        <Button type="button" size="sm" variant="outline" onClick={save} disabled={!dirty || pending} aria-busy={pending}>
          {pending ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
          Save sharing
        </Button>
      </div>
    </fieldset>
  );
}
