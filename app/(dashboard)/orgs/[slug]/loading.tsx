/** Shown while an organization page loads its data. */
export default function OrgLoading() {
  return (
    <div role="status" aria-live="polite" className="grid gap-5">
      <span className="sr-only">Loading…</span>
      <div className="grid gap-2" aria-hidden>
        <div className="h-4 w-40 animate-pulse rounded bg-muted" />
        <div className="h-7 w-56 animate-pulse rounded bg-muted" />
        <div className="h-4 w-full max-w-xl animate-pulse rounded bg-muted" />
      </div>
      <div className="h-12 animate-pulse rounded-lg bg-muted/70" aria-hidden />
      <div className="grid gap-5 lg:grid-cols-2" aria-hidden>
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-56 animate-pulse rounded-xl border bg-card" />
        ))}
      </div>
    </div>
  );
}
