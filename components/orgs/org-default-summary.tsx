import { ArrowRightIcon, InfoIcon, StarIcon } from "lucide-react";
import Link from "next/link";

/** What the organization's agents get right now, and where to go next. */
export function OrgDefaultSummary({
  slug,
  current,
  canManage,
}: {
  slug: string;
  current: { providerName: string; model: string } | null;
  canManage: boolean;
}) {
  return (
    <div className="mb-5 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border bg-card px-4 py-3 text-sm" role="status">
      {current ? (
        <>
          <StarIcon className="size-4 shrink-0 text-primary" aria-hidden />
          <span className="min-w-0">
            The organization&apos;s default is <strong>{current.providerName}</strong> with{" "}
            <code className="inline-block max-w-full font-mono break-all">{current.model}</code>.
          </span>
        </>
      ) : (
        <>
          <InfoIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
          <span className="min-w-0">
            {canManage
              ? "No organization default yet: save a provider, then choose “Set as Default”."
              : "This organization has no default model yet."}
          </span>
        </>
      )}
      {canManage ? (
        <Link href={`/orgs/${slug}/tokens`} className="ml-auto inline-flex items-center gap-1 font-medium text-primary hover:underline">
          Organization tokens <ArrowRightIcon className="size-3.5" aria-hidden />
        </Link>
      ) : (
        <Link href="/agent/models" className="ml-auto inline-flex items-center gap-1 font-medium text-primary hover:underline">
          Use shared providers on your Models page <ArrowRightIcon className="size-3.5" aria-hidden />
        </Link>
      )}
    </div>
  );
}
