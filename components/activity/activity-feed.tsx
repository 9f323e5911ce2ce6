"use client";

/**
 * The activity log as a client widget: a "Kind" filter and "Load more" paging over GET
 * /api/activity (useInfiniteQuery on nextCursor). The first page arrives server-rendered.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { HistoryIcon, Loader2Icon, RotateCwIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { EmptyState } from "@/components/app/page-header";
import { Button } from "@/components/ui/button";
import type { ActivityPage } from "@/lib/audit/events";
import type { ActivityNames } from "@/lib/audit/load-activity";
import { ActivityItem, ActivitySkeleton } from "./activity-item";
import { describeEvent, KIND_LABELS, learnCredentials } from "./describe-event";

type Props = {
  /** An organization's log (owners and admins); the user's own when absent. */
  orgSlug?: string;
  initialKind: string;
  initialPage: ActivityPage;
  names: ActivityNames;
  pageSize: number;
};

export class ActivityRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ActivityRequestError";
  }
}

async function fetchActivity(
  params: { org?: string; kind: string; cursor: string | null; limit: number },
  signal: AbortSignal,
): Promise<ActivityPage> {
  const search = new URLSearchParams({ limit: String(params.limit) });
  if (params.org) search.set("org", params.org);
  if (params.kind) search.set("kind", params.kind);
  if (params.cursor) search.set("cursor", params.cursor);
  let response: Response;
  try {
    response = await fetch(`/api/activity?${search}`, { signal, cache: "no-store", headers: { accept: "application/json" } });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ActivityRequestError("Could not reach BYOK. Check your connection.", 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    throw new ActivityRequestError(message ?? `The activity could not be loaded (HTTP ${response.status}).`, response.status);
  }
  return body as ActivityPage;
}

/** Asking again does not fix a 4xx (signed out, forbidden, unknown filter). */
function retry(count: number, error: Error): boolean {
  if (error instanceof ActivityRequestError && error.status >= 400 && error.status < 500) return false;
  return count < 2;
}

export function ActivityFeed({ orgSlug, initialKind, initialPage, names, pageSize }: Props) {
  const uid = useId();
  const [kind, setKind] = useState(initialKind);
  const query = useInfiniteQuery({
    queryKey: ["activity", orgSlug ?? null, kind, pageSize],
    queryFn: ({ pageParam, signal }) => fetchActivity({ org: orgSlug, kind, cursor: pageParam, limit: pageSize }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: kind === initialKind ? { pages: [initialPage], pageParams: [null] } : undefined,
    retry,
  });

  const events = useMemo(() => query.data?.pages.flatMap((p) => p.events) ?? [], [query.data]);
  const credentials = useMemo(() => learnCredentials(events, names.credentials), [events, names.credentials]);

  // After "Load more", keyboard and screen-reader users land on the first new event (the button may be gone).
  const listRef = useRef<HTMLOListElement>(null);
  const focusIndex = useRef<number | null>(null);
  useEffect(() => {
    const index = focusIndex.current;
    if (index === null || events.length <= index) return;
    focusIndex.current = null;
    listRef.current?.querySelectorAll<HTMLElement>(":scope > li")[index]?.focus();
  }, [events]);

  function choose(next: string) {
    focusIndex.current = null;
    setKind(next);
    // Keep the filter in the address so a reload or a shared link shows the same list.
    const url = new URL(window.location.href);
    if (next) url.searchParams.set("kind", next);
    else url.searchParams.delete("kind");
    window.history.replaceState(null, "", url);
  }

  function loadMore() {
    focusIndex.current = events.length;
    void query.fetchNextPage();
  }

  const error = query.error instanceof ActivityRequestError ? query.error : null;
  const errorMessage = query.error ? (error?.message ?? "The activity could not be loaded.") : null;

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1.5">
          <label htmlFor={`${uid}-kind`} className="text-sm font-medium">
            Kind
          </label>
          <select
            id={`${uid}-kind`}
            value={kind}
            onChange={(e) => choose(e.target.value)}
            className="h-9 w-full min-w-56 rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-ring sm:w-auto"
          >
            <option value="">All kinds</option>
            {Object.entries(KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <p className="text-xs text-muted-foreground" role="status" aria-live="polite">
          {query.isPending
            ? "Loading activity…"
            : query.isSuccess && events.length > 0
              ? `${events.length} ${events.length === 1 ? "event" : "events"} shown, newest first`
              : ""}
          {query.isFetching && !query.isPending && !query.isFetchingNextPage ? " · refreshing…" : ""}
        </p>
      </div>

      {query.isPending ? (
        <ActivitySkeleton />
      ) : query.isError && events.length === 0 ? (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-3 rounded-xl border border-destructive/30 bg-destructive/10 px-4 py-3 text-sm text-destructive"
        >
          <span className="flex-1">{errorMessage}</span>
          {error?.status === 401 ? (
            <Button asChild variant="outline" size="sm">
              <Link href="/login">Sign in</Link>
            </Button>
          ) : error && error.status >= 400 && error.status < 500 ? null : (
            <Button variant="outline" size="sm" onClick={() => void query.refetch()}>
              <RotateCwIcon aria-hidden /> Retry
            </Button>
          )}
        </div>
      ) : events.length === 0 ? (
        <EmptyState
          icon={<HistoryIcon />}
          title={kind ? `No “${KIND_LABELS[kind as keyof typeof KIND_LABELS] ?? kind}” events` : "No activity yet"}
        >
          {kind ? (
            <Button variant="link" className="h-auto p-0" onClick={() => choose("")}>
              Show all kinds
            </Button>
          ) : orgSlug ? (
            "Changes to the organization’s providers, members and tokens, and config fetches by its agents, will show here."
          ) : (
            "What you do here — saving keys, creating tokens, agents fetching their config — will show here."
          )}
        </EmptyState>
      ) : (
        <>
          <ol
            ref={listRef}
            className="divide-y overflow-hidden rounded-xl border bg-card"
            aria-label={orgSlug ? "Organization activity" : "Your activity"}
          >
            {events.map((event) => (
              <ActivityItem key={event.id} event={event} described={describeEvent(event, { ...names, credentials })} />
            ))}
          </ol>
          {query.isFetchNextPageError || query.isRefetchError ? (
            <div role="alert" className="flex flex-wrap items-center justify-center gap-2 text-sm text-destructive">
              {query.isFetchNextPageError ? "Could not load more" : "Could not refresh"}: {errorMessage}
              {query.isRefetchError ? (
                <Button variant="outline" size="sm" onClick={() => void query.refetch()}>
                  <RotateCwIcon aria-hidden /> Retry
                </Button>
              ) : null}
            </div>
          ) : null}
          {query.hasNextPage ? (
            <div className="flex justify-center">
              <Button variant="outline" onClick={loadMore} disabled={query.isFetchingNextPage} aria-busy={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
                {query.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          ) : events.length > pageSize ? (
            <p className="text-center text-xs text-muted-foreground">That is everything.</p>
          ) : null}
        </>
      )}
    </div>
  );
}
