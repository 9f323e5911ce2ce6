/** Shown while the Alerts page loads its webhooks and deliveries. */
export default function AlertsLoading() {
  return (
    <div role="status" aria-live="polite" className="grid gap-5">
      <span className="sr-only">Loading…</span>
      <div className="grid gap-2" aria-hidden>
        <div className="h-7 w-40 animate-pulse rounded bg-muted" />
        <div className="h-4 w-full max-w-xl animate-pulse rounded bg-muted" />
      </div>
      <div className="h-72 animate-pulse rounded-xl border bg-card" aria-hidden />
      <div className="h-40 animate-pulse rounded-xl border bg-card" aria-hidden />
    </div>
  );
}
