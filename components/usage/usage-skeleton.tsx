/** Shown while a usage page computes its figures: the shapes of the range, totals, charts and table. */
export function UsageSkeleton() {
  return (
    <div role="status" aria-live="polite" className="grid gap-6">
      <span className="sr-only">Loading usage…</span>
      <div className="grid gap-2" aria-hidden>
        <div className="h-7 w-40 animate-pulse rounded bg-muted" />
        <div className="h-4 w-full max-w-xl animate-pulse rounded bg-muted" />
      </div>
      <div className="flex flex-wrap gap-3" aria-hidden>
        <div className="h-9 w-64 animate-pulse rounded-md bg-muted" />
        <div className="h-9 w-80 animate-pulse rounded-md bg-muted" />
      </div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" aria-hidden>
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-20 animate-pulse rounded-xl border bg-card" />
        ))}
      </div>
      <div className="grid gap-4 xl:grid-cols-2" aria-hidden>
        <div className="h-80 animate-pulse rounded-xl border bg-card" />
        <div className="h-80 animate-pulse rounded-xl border bg-card" />
      </div>
      <div className="h-64 animate-pulse rounded-xl border bg-card" aria-hidden />
    </div>
  );
}
