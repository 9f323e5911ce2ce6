import { ArrowRightIcon, InfoIcon, StarIcon } from "lucide-react";
import Link from "next/link";

/**
 * What an agent gets right now: the default provider and model (and the organization it comes from,
 * for a shared one), or how to choose one.
 */
export function DefaultSummary({ current }: { current: { providerName: string; model: string; orgName?: string } | null }) {
  return (
    <div className="mb-5 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border bg-card px-4 py-3 text-sm" role="status">
      {current ? (
        <>
          <StarIcon className="size-4 text-primary" aria-hidden />
          <span>
            Agents using your tokens get <strong>{current.providerName}</strong>
            {current.orgName ? (
              <>
                {" "}
                from <strong>{current.orgName}</strong>
              </>
            ) : null}{" "}
            with <code className="font-mono">{current.model}</code>.
          </span>
        </>
      ) : (
        <>
          <InfoIcon className="size-4 text-muted-foreground" aria-hidden />
          <span>No default yet: save a provider, then choose “Set as Default”. Agents get it from GET /api/v1/config.</span>
        </>
      )}
      <Link href="/agent/tokens" className="ml-auto inline-flex items-center gap-1 font-medium text-primary hover:underline">
        Agent tokens <ArrowRightIcon className="size-3.5" aria-hidden />
      </Link>
    </div>
  );
}
