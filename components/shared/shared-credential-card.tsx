import { Building2Icon } from "lucide-react";
import Link from "next/link";
import { useId } from "react";
import { DefaultBadge, StatusBadge, ToolsBadge } from "@/components/providers/status-badge";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Delivery } from "@/components/providers/delivery";
import { DeliveryText } from "@/components/providers/delivery-text";
import { SetSharedDefaultButton } from "./set-shared-default-button";

/** What a shared card may show: names, model, host and key hints. Never a key, never an input for one. */
export type SharedCardData = {
  id: string;
  providerName: string;
  model: string;
  apiHost: string;
  /** Hints of the stored secrets with their field labels, e.g. API Key → sk-…MxYA. */
  hints: { label: string; hint: string }[];
  status: "valid" | "invalid" | "unverified";
  statusDetail: string | null;
  validatedAt: string | null;
  tools: "supported" | "unsupported" | "unknown" | null;
  orgName: string;
  orgSlug: string;
  delivery: Delivery;
};

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:grid-cols-[7rem_1fr] sm:gap-3">
      <dt className="text-xs font-medium text-muted-foreground sm:text-sm">{term}</dt>
      <dd className="min-w-0 break-all font-mono text-sm">{children}</dd>
    </div>
  );
}

/** An organization's provider the user may use: read-only, with "Set as Default". */
export function SharedCredentialCard({ credential: c, isDefault }: { credential: SharedCardData; isDefault: boolean }) {
  const uid = useId();
  return (
    <Card role="region" aria-labelledby={`${uid}-title`} className="flex flex-col" data-org={c.orgSlug}>
      <CardHeader>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h3 id={`${uid}-title`} className="text-base leading-tight font-semibold tracking-tight">
            {c.providerName}
          </h3>
          <div className="flex flex-wrap items-center gap-1.5">
            {isDefault ? <DefaultBadge /> : null}
            <StatusBadge status={c.status} />
            {c.tools ? <ToolsBadge tools={c.tools} /> : null}
          </div>
        </div>
        <CardDescription className="flex items-center gap-1.5">
          <Building2Icon className="size-3.5 shrink-0" aria-hidden />
          <span>
            from{" "}
            <Link href={`/orgs/${c.orgSlug}/models`} className="font-medium text-foreground hover:underline">
              {c.orgName}
            </Link>
          </span>
        </CardDescription>
      </CardHeader>
      <CardContent className="grid flex-1 content-start gap-3">
        <dl className="grid gap-2">
          <Row term="Model">{c.model}</Row>
          <Row term="API Host">{c.apiHost || "—"}</Row>
          {c.hints.length > 0 ? (
            c.hints.map((h) => (
              <Row key={h.label} term={h.label}>
                {h.hint}
              </Row>
            ))
          ) : (
            <Row term="API Key">
              <span className="font-sans text-muted-foreground">None needed</span>
            </Row>
          )}
        </dl>
        <DeliveryText delivery={c.delivery} />
        {c.status !== "valid" && c.statusDetail ? <p className="text-xs text-muted-foreground">{c.statusDetail}</p> : null}
        <p className="text-xs text-muted-foreground">
          {c.validatedAt ? (
            <>
              Last checked <RelativeTime iso={c.validatedAt} />.
            </>
          ) : (
            "Not checked yet."
          )}
        </p>
      </CardContent>
      <CardFooter>
        <SetSharedDefaultButton credentialId={c.id} label={`${c.providerName} from ${c.orgName}`} isDefault={isDefault} />
      </CardFooter>
    </Card>
  );
}
