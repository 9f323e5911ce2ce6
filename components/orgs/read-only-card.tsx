import { CheckIcon, LockIcon } from "lucide-react";
import { DeliveryText } from "@/components/providers/delivery-text";
import { DefaultBadge, StatusBadge, ToolsBadge } from "@/components/providers/status-badge";
import type { StoredCredential } from "@/components/providers/types";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ProviderDefinition } from "@/lib/providers/types";

/**
 * An organization provider as a member sees it: what is configured and whether they may use it,
 * never a key field and no controls (owners and admins manage it).
 */
export function ReadOnlyCard({
  definition,
  stored,
  isDefault,
  available,
}: {
  definition: ProviderDefinition;
  stored: StoredCredential | null;
  isDefault: boolean;
  /** Shared with the viewer (all members, or selected including them). */
  available: boolean;
}) {
  const titleId = `ro-${definition.id}-title`;
  const secretFields = definition.fields.filter((f) => f.secret && stored?.secretHints[f.name]);
  const extraFields = definition.fields.filter((f) => !f.secret && stored?.extra[f.name]);
  return (
    <Card role="region" aria-labelledby={titleId} className="flex flex-col">
      <CardHeader>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <CardTitle id={titleId}>{definition.name}</CardTitle>
          <div className="flex flex-wrap items-center gap-1.5">
            {isDefault ? <DefaultBadge /> : null}
            <StatusBadge status={stored ? stored.status : "not_configured"} />
            {stored?.tools ? <ToolsBadge tools={stored.tools} /> : null}
          </div>
        </div>
        <CardDescription>{definition.description}</CardDescription>
      </CardHeader>
      <CardContent className="grid flex-1 content-start gap-3">
        {stored ? (
          <>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
              <dt className="text-muted-foreground">Model</dt>
              <dd className="font-mono text-xs leading-5 break-all">{stored.model}</dd>
              <dt className="text-muted-foreground">API Host</dt>
              <dd className="font-mono text-xs leading-5 break-all">{stored.apiHost}</dd>
              {extraFields.map((f) => (
                <Row key={f.name} label={f.label} value={stored.extra[f.name]!} />
              ))}
              {secretFields.map((f) => (
                <Row key={f.name} label={f.label} value={stored.secretHints[f.name]!} />
              ))}
              <dt className="text-muted-foreground">Last checked</dt>
              <dd className="text-xs leading-5">{stored.validatedAt ? <RelativeTime iso={stored.validatedAt} /> : "Never"}</dd>
            </dl>
            <DeliveryText delivery={stored.delivery} />
            {stored.status !== "valid" && stored.statusDetail ? (
              <p className="text-xs text-muted-foreground">{stored.statusDetail}</p>
            ) : null}
            <div className="mt-auto flex flex-wrap items-center gap-2 border-t pt-3 text-xs text-muted-foreground">
              {available ? (
                <Badge variant="success">
                  <CheckIcon aria-hidden /> Available to you
                </Badge>
              ) : (
                <Badge variant="neutral">
                  <LockIcon aria-hidden /> Not shared with you
                </Badge>
              )}
              <span>{available ? "Choose it as your default on your Models page." : "Ask an owner or admin to share it with you."}</span>
            </div>
          </>
        ) : (
          <p className="text-sm text-muted-foreground">Not set up for this organization.</p>
        )}
      </CardContent>
    </Card>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="font-mono text-xs leading-5 break-all">{value}</dd>
    </>
  );
}
