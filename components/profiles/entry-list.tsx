"use client";

import { ArrowDownIcon, ArrowUpIcon, Trash2Icon } from "lucide-react";
import { useEffect, useOptimistic, useRef, useTransition } from "react";
import { moveProfileEntryAction, removeProfileEntryAction } from "@/app/(dashboard)/_actions/profiles";
import { StatusBadge } from "@/components/providers/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import type { ProfileEntry } from "./types";

type Move = { entryId: string; direction: "up" | "down" };

function moved(entries: ProfileEntry[], { entryId, direction }: Move): ProfileEntry[] {
  const from = entries.findIndex((e) => e.id === entryId);
  const to = direction === "up" ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= entries.length) return entries;
  const next = [...entries];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

const SKIPPED = { invalid: "Skipped: Invalid", not_shared: "Skipped: not shared with you" } as const;

/**
 * A profile's models in order. Moves show at once (optimistic) and keep focus on the moved
 * entry's button, so pressing Enter again keeps moving it; when that button turns disabled (first
 * or last place), focus goes to the entry's other move button. Buttons are never disabled just
 * because a change is pending, so focus is never dropped.
 */
export function EntryList({
  orgSlug,
  profileId,
  profileName,
  entries,
  canEdit,
  onRemoved,
}: {
  orgSlug: string | null;
  profileId: string;
  profileName: string;
  entries: ProfileEntry[];
  canEdit: boolean;
  onRemoved: () => void;
}) {
  const [pending, startTransition] = useTransition();
  const [shown, applyMove] = useOptimistic(entries, moved);
  const listRef = useRef<HTMLOListElement>(null);
  const focusAfter = useRef<Move | null>(null);
  const order = shown.map((e) => e.id).join();

  useEffect(() => {
    const target = focusAfter.current;
    if (!target || !listRef.current) return;
    const button = (direction: string) =>
      listRef.current?.querySelector<HTMLButtonElement>(`[data-entry="${target.entryId}"] [data-move="${direction}"]`);
    const same = button(target.direction);
    const other = button(target.direction === "up" ? "down" : "up");
    const next = same && !same.disabled ? same : other && !other.disabled ? other : null;
    if (next && document.activeElement !== next) next.focus();
    if (!pending) focusAfter.current = null;
  }, [order, pending]);

  // Not blocked while another change is pending: Next runs server actions one after another, and
  // each move is relative to the order before it, so pressing Enter three times moves three places.
  function move(entry: ProfileEntry, direction: "up" | "down") {
    focusAfter.current = { entryId: entry.id, direction };
    startTransition(async () => {
      applyMove({ entryId: entry.id, direction });
      const result = await moveProfileEntryAction(orgSlug, profileId, entry.id, direction);
      if (result.ok) toast.success(`Moved ${entry.model} ${direction}`);
      else toast.error(result.error);
    });
  }

  function remove(entry: ProfileEntry) {
    if (pending) return;
    startTransition(async () => {
      const result = await removeProfileEntryAction(orgSlug, profileId, entry.id);
      if (result.ok) {
        toast.success(`Removed ${entry.providerName} · ${entry.model} from ${profileName}`);
        onRemoved();
      } else toast.error(result.error);
    });
  }

  if (shown.length === 0) {
    return <p className="rounded-lg border border-dashed px-4 py-3 text-sm text-muted-foreground">No models yet.</p>;
  }

  return (
    <ol ref={listRef} className="grid gap-2" aria-label={`Models of ${profileName}, in order`} aria-busy={pending}>
      {shown.map((entry, index) => {
        const labelId = `entry-${entry.id}`;
        return (
          <li
            key={entry.id}
            data-entry={entry.id}
            className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border bg-background/60 px-3 py-2.5"
          >
            <span
              className="grid size-6 shrink-0 place-items-center rounded-full bg-muted text-xs font-semibold text-muted-foreground"
              aria-hidden
            >
              {index + 1}
            </span>
            <div id={labelId} className="grid min-w-0 flex-1 basis-48 gap-0.5">
              <span className="sr-only">{index === 0 ? "First choice: " : `Fallback ${index}: `}</span>
              <span className="text-sm font-medium break-words">
                {entry.providerName} <span className="font-normal text-muted-foreground">· {entry.ownerName}</span>
              </span>
              <code className="font-mono text-xs break-all text-muted-foreground">{entry.model}</code>
            </div>
            <div className="flex flex-wrap items-center gap-1.5">
              <StatusBadge status={entry.status as "valid" | "invalid" | "unverified"} />
              {entry.skipped ? <Badge variant="warning">{SKIPPED[entry.skipped]}</Badge> : null}
            </div>
            {canEdit ? (
              <div className="flex w-full flex-wrap gap-1.5 sm:w-auto max-sm:[&_svg]:hidden [&>button]:px-2.5">
                <Button
                  variant="outline"
                  size="sm"
                  data-move="up"
                  disabled={index === 0}
                  aria-describedby={labelId}
                  onClick={() => move(entry, "up")}
                >
                  <ArrowUpIcon aria-hidden /> Move up
                </Button>
                <Button
                  variant="outline"
                  size="sm"
                  data-move="down"
                  disabled={index === shown.length - 1}
                  aria-describedby={labelId}
                  onClick={() => move(entry, "down")}
                >
                  <ArrowDownIcon aria-hidden /> Move down
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  className="text-destructive hover:bg-destructive/10 hover:text-destructive"
                  aria-disabled={pending || undefined}
                  aria-describedby={labelId}
                  onClick={() => remove(entry)}
                >
                  <Trash2Icon aria-hidden /> Remove
                </Button>
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
