"use client";

import { useActionState, useEffect, useId, useTransition } from "react";
import { removeBudgetAction, setBudgetAction } from "@/app/(dashboard)/_actions/budgets";
import { FormAlert } from "@/components/auth/form-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { BudgetRow as Row } from "@/lib/budgets/pages";
import { UsageBar } from "./usage-bar";

/**
 * One thing that may have a budget (a credential, a member, a token): its name, this month's use
 * against its limits, and "Monthly request limit" / "Monthly token limit" with Save and Remove.
 * A region named after the thing, so each row's fields are found by the row's name.
 */
export function BudgetRow({ row, orgSlug, readOnly = false }: { row: Row; orgSlug: string | null; readOnly?: boolean }) {
  const uid = useId();
  const target = { scope: row.scope, id: row.id };
  const [state, action, pending] = useActionState(setBudgetAction.bind(null, orgSlug, target), null);
  const [removing, startRemove] = useTransition();
  const failed = state && !state.ok ? state : undefined;
  const budget = row.budget;

  useEffect(() => {
    if (state?.ok) toast.success(`Budget saved for ${row.label}`);
  }, [state, row.label]);

  function remove() {
    startRemove(async () => {
      const result = await removeBudgetAction(orgSlug, target);
      if (result.ok) toast.success(`Budget removed for ${row.label}`);
      else toast.error(result.error);
    });
  }

  const requestId = `${uid}-requests`;
  const tokenId = `${uid}-tokens`;
  return (
    <section aria-labelledby={`${uid}-title`} className="grid gap-3 rounded-lg border bg-card p-4" data-budget-row={row.id}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="grid min-w-0 gap-0.5">
          <h3 id={`${uid}-title`} className="truncate font-medium">
            {row.label}
          </h3>
          <p className="break-words text-xs text-muted-foreground">{row.detail}</p>
        </div>
        {budget ? <Badge variant="primary">Budget set</Badge> : <Badge>No budget</Badge>}
      </div>
      {budget && (budget.requestLimit !== null || budget.tokenLimit !== null) ? (
        <div className="grid gap-2 sm:grid-cols-2">
          {budget.requestLimit !== null ? (
            <UsageBar label="Requests this month" used={budget.requests} limit={budget.requestLimit} unit="requests" />
          ) : null}
          {budget.tokenLimit !== null ? (
            <UsageBar label="Tokens this month" used={budget.tokens} limit={budget.tokenLimit} unit="tokens" />
          ) : null}
        </div>
      ) : null}
      {readOnly ? null : (
        <form action={action} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start" noValidate>
          <Field id={requestId} label="Monthly request limit" error={failed?.fieldErrors?.requestLimit}>
            <Input
              {...fieldAria(requestId, failed?.fieldErrors?.requestLimit)}
              name="requestLimit"
              inputMode="numeric"
              autoComplete="off"
              placeholder="No limit"
              defaultValue={failed?.values?.requestLimit ?? budget?.requestLimit?.toString() ?? ""}
              key={`r-${budget?.requestLimit ?? ""}`}
            />
          </Field>
          <Field id={tokenId} label="Monthly token limit" error={failed?.fieldErrors?.tokenLimit}>
            <Input
              {...fieldAria(tokenId, failed?.fieldErrors?.tokenLimit)}
              name="tokenLimit"
              inputMode="numeric"
              autoComplete="off"
              placeholder="No limit"
              defaultValue={failed?.values?.tokenLimit ?? budget?.tokenLimit?.toString() ?? ""}
              key={`t-${budget?.tokenLimit ?? ""}`}
            />
          </Field>
          <div className="flex gap-2 sm:mt-[1.375rem]">
            <Button type="submit" disabled={pending || removing} aria-busy={pending}>
              {pending ? "Saving…" : "Save"}
            </Button>
            {budget ? (
              <Button type="button" variant="outline" onClick={remove} disabled={pending || removing} aria-busy={removing}>
                {removing ? "Removing…" : "Remove"}
              </Button>
            ) : null}
          </div>
        </form>
      )}
      {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
    </section>
  );
}
