"use client";

import { KeyRoundIcon } from "lucide-react";
import { useTransition } from "react";
import { revokeTokenAction } from "@/app/(dashboard)/_actions/tokens";
import { EmptyState } from "@/components/app/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { toast } from "@/components/ui/toaster";
import type { TokenRow } from "@/lib/tokens/token-rows";

function CreatedBy({ token }: { token: TokenRow }) {
  if (!token.createdBy) return <span className="text-muted-foreground italic">Deleted user</span>;
  return (
    <span className="break-words">
      {token.createdBy}
      {token.createdByYou ? <span className="text-xs text-muted-foreground"> (you)</span> : null}
    </span>
  );
}

function StateBadge({ state }: { state: TokenRow["state"] }) {
  if (state === "active") return <Badge variant="success">Active</Badge>;
  if (state === "expired") return <Badge variant="warning">Expired</Badge>;
  return <Badge variant="neutral">Revoked</Badge>;
}

/** The tokens of a scope; org tokens also say who created them. */
export function TokenList({ tokens, orgSlug }: { tokens: TokenRow[]; orgSlug?: string }) {
  const [pending, startTransition] = useTransition();
  if (tokens.length === 0) {
    return (
      <EmptyState icon={<KeyRoundIcon />} title="No tokens yet">
        Create one above and give it to your agent.
      </EmptyState>
    );
  }
  function revoke(token: TokenRow) {
    startTransition(async () => {
      const result = await revokeTokenAction(orgSlug ?? null, token.id);
      if (result.ok) toast.success(`Token “${token.name}” revoked`);
      else toast.error(result.error);
    });
  }
  return (
    <div className="overflow-x-auto rounded-xl border bg-card">
      <table className={`w-full text-sm ${orgSlug ? "min-w-[50rem]" : "min-w-[40rem]"}`}>
        <caption className="sr-only">{orgSlug ? "Organization tokens" : "Agent tokens"}</caption>
        <thead className="border-b text-left text-xs text-muted-foreground">
          <tr>
            {["Name", "Token", ...(orgSlug ? ["Created by"] : []), "Created", "Last used", "Expires", "Status", ""].map((h, i) => (
              <th key={i} scope="col" className="px-4 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id} className="border-b last:border-0" data-state={token.state}>
              <th scope="row" className="px-4 py-2.5 text-left font-medium">
                {token.name}
              </th>
              <td className="px-4 py-2.5 font-mono text-xs whitespace-nowrap text-muted-foreground">{token.hint}</td>
              {orgSlug ? (
                <td className="px-4 py-2.5">
                  <CreatedBy token={token} />
                </td>
              ) : null}
              <td className="px-4 py-2.5">
                <RelativeTime iso={token.createdAt} />
              </td>
              <td className="px-4 py-2.5">
                {token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : <span className="text-muted-foreground">Never</span>}
              </td>
              <td className="px-4 py-2.5">
                {token.expiresAt ? <RelativeTime iso={token.expiresAt} /> : <span className="text-muted-foreground">Never</span>}
              </td>
              <td className="px-4 py-2.5">
                <StateBadge state={token.state} />
              </td>
              <td className="px-4 py-2.5 text-right">
                {token.state === "active" ? (
                  <ConfirmDialog
                    trigger={
                      <Button variant="outline" size="sm" disabled={pending} aria-label={`Revoke ${token.name}`}>
                        Revoke
                      </Button>
                    }
                    title={`Revoke “${token.name}”?`}
                    description="Agents using this token are refused from their very next request. This cannot be undone."
                    confirmLabel="Revoke"
                    onConfirm={() => revoke(token)}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
