"use client";

import { useActionState, useEffect, useRef } from "react";
import { createTokenAction } from "@/app/(dashboard)/_actions/tokens";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import { TokenSnippets } from "./token-snippets";

const EXPIRY = [
  ["never", "Never"],
  ["7", "In 7 days"],
  ["30", "In 30 days"],
  ["90", "In 90 days"],
  ["365", "In 1 year"],
] as const;

/** Create a token; the new token is shown once, here, with a copy button and usage snippets. */
export function CreateTokenForm({
  origin,
  orgSlug,
  scopeOrgs = [],
}: {
  origin: string;
  /** Org tokens for this organization; personal tokens when absent. */
  orgSlug?: string;
  /** Personal tokens: organizations whose default applies when the user has none. */
  scopeOrgs?: { slug: string; name: string }[];
}) {
  const [state, action, pending] = useActionState(createTokenAction.bind(null, orgSlug ?? null), null);
  const formRef = useRef<HTMLFormElement>(null);
  const failed = state && !state.ok ? state : undefined;
  const created = state?.ok ? state.data : undefined;

  useEffect(() => {
    if (created) toast.success(`Token “${created.name}” created`);
  }, [created]);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create a token</CardTitle>
        <CardDescription>
          {orgSlug
            ? "Agents send it as a Bearer token to fetch the organization's default model configuration."
            : "Agents send it as a Bearer token to fetch your default model configuration."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form
          ref={formRef}
          action={action}
          className={`grid gap-3 sm:items-end ${scopeOrgs.length ? "sm:grid-cols-[1fr_10rem_12rem_auto]" : "sm:grid-cols-[1fr_12rem_auto]"}`}
          noValidate
        >
          <Field id="token-name" label="Token name" error={failed?.fieldErrors?.name}>
            <Input
              {...fieldAria("token-name", failed?.fieldErrors?.name)}
              name="name"
              maxLength={80}
              placeholder="ci-agent"
              defaultValue={failed?.values?.name ?? ""}
              disabled={pending}
              required
            />
          </Field>
          <Field id="token-expiry" label="Expires" error={failed?.fieldErrors?.expiresInDays}>
            <select
              id="token-expiry"
              name="expiresInDays"
              disabled={pending}
              defaultValue={failed?.values?.expiresInDays ?? (orgSlug ? "90" : "never")}
              className="h-9 rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-ring"
            >
              {EXPIRY.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          {scopeOrgs.length > 0 ? (
            <Field id="token-scope" label="Fallback organization" error={failed?.fieldErrors?.scopeOrg}>
              <select
                id="token-scope"
                name="scopeOrg"
                disabled={pending}
                defaultValue={failed?.values?.scopeOrg ?? ""}
                className="h-9 rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-ring"
              >
                <option value="">{scopeOrgs.length === 1 ? `${scopeOrgs[0]!.name} (your only one)` : "None"}</option>
                {scopeOrgs.map((o) => (
                  <option key={o.slug} value={o.slug}>
                    {o.name}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? "Creating…" : "Create token"}
          </Button>
        </form>
        {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
        {created ? (
          <div className="grid min-w-0 gap-3 rounded-lg border border-primary/30 bg-primary/5 p-4">
            <CopyField label="New token" value={created.token} autoFocus />
            <p className="text-sm text-muted-foreground">Copy it now: BYOK keeps only a hash and will not show this token again.</p>
            <TokenSnippets origin={origin} token={created.token} />
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
