import {
  Building2Icon,
  DownloadIcon,
  GaugeIcon,
  KeyRoundIcon,
  Share2Icon,
  ShieldCheckIcon,
  StarIcon,
  TicketIcon,
  UsersIcon,
  ListOrderedIcon,
  type LucideIcon,
} from "lucide-react";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActivityEvent } from "@/lib/audit/events";
import { cn } from "@/lib/utils";
import type { DescribedEvent, Tone } from "./describe-event";

const ICONS: Record<DescribedEvent["group"], LucideIcon> = {
  credential: KeyRoundIcon,
  default: StarIcon,
  share: Share2Icon,
  token: TicketIcon,
  config: DownloadIcon,
  org: Building2Icon,
  member: UsersIcon,
  keys: ShieldCheckIcon,
  profile: ListOrderedIcon,
  budget: GaugeIcon,
};

const TONES: Record<Tone, string> = {
  success: "text-success",
  warning: "text-warning",
  destructive: "text-destructive",
  neutral: "text-muted-foreground",
};

/** One line of the activity log: what happened, then when and from where. */
export function ActivityItem({ event, described }: { event: ActivityEvent; described: DescribedEvent }) {
  const Icon = ICONS[described.group];
  return (
    <li
      tabIndex={-1}
      className="flex gap-3 px-4 py-3 outline-ring focus-visible:outline-2 focus-visible:-outline-offset-2"
      data-kind={event.kind}
    >
      <span
        className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full border bg-muted text-muted-foreground"
        aria-hidden
      >
        <Icon className="size-3.5" />
      </span>
      <div className="grid min-w-0 flex-1 gap-0.5">
        <p className="text-sm break-words">
          <strong className="font-medium">{described.actor}</strong> {described.action}
          {described.outcome ? (
            <>
              {" — "}
              <span className={cn("font-medium", TONES[described.outcome.tone])}>{described.outcome.text}</span>
            </>
          ) : null}
        </p>
        <p className="flex flex-wrap gap-x-2 text-xs text-muted-foreground">
          <RelativeTime iso={event.occurredAt} />
          {event.actorIp ? (
            <>
              <span aria-hidden>·</span>
              <span>
                from <span className="font-mono">{event.actorIp}</span>
              </span>
            </>
          ) : null}
          {described.via ? (
            <>
              <span aria-hidden>·</span>
              <span>
                with <span className="font-mono">{described.via}</span>
              </span>
            </>
          ) : null}
        </p>
      </div>
    </li>
  );
}

/** Placeholder rows while the first page loads. */
export function ActivitySkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div className="divide-y rounded-xl border bg-card" aria-hidden>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex gap-3 px-4 py-3">
          <span className="size-7 shrink-0 animate-pulse rounded-full bg-muted" />
          <div className="grid flex-1 gap-2 py-0.5">
            <span className="h-3.5 w-3/4 animate-pulse rounded bg-muted sm:w-1/2" />
            <span className="h-3 w-1/3 animate-pulse rounded bg-muted sm:w-1/5" />
          </div>
        </div>
      ))}
    </div>
  );
}
