"use client";

import { BellIcon, XIcon } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { dismissNoticeAction } from "@/app/(dashboard)/_actions/orgs";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";

export type Notice = { id: string; message: string; createdAt: string };

/** An unread notice for the user (e.g. a default cleared after losing access), with "Dismiss". */
function NoticeBanner({ notice, onDismissed }: { notice: Notice; onDismissed: (id: string) => void }) {
  const uid = useId();
  const [pending, startTransition] = useTransition();
  function dismiss() {
    startTransition(async () => {
      const result = await dismissNoticeAction(notice.id);
      if (result.ok) onDismissed(notice.id);
      else toast.error(result.error);
    });
  }
  return (
    <div
      className="flex flex-wrap items-start gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm sm:flex-nowrap"
      data-notice={notice.id}
    >
      <BellIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
      <p id={`${uid}-message`} className="min-w-0 flex-1">
        {notice.message}
      </p>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        className="-my-1 ml-auto"
        onClick={dismiss}
        disabled={pending}
        aria-describedby={`${uid}-message`}
      >
        <XIcon aria-hidden /> Dismiss
      </Button>
    </div>
  );
}

/** The user's unread notices, newest last; each disappears once dismissed. */
export function NoticeList({ notices }: { notices: Notice[] }) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const visible = notices.filter((n) => !dismissed.has(n.id));
  if (visible.length === 0) return null;
  return (
    <div className="mb-5 grid gap-2" aria-label="Notices" role="group">
      {visible.map((notice) => (
        <NoticeBanner key={notice.id} notice={notice} onDismissed={(id) => setDismissed((s) => new Set(s).add(id))} />
      ))}
    </div>
  );
}
