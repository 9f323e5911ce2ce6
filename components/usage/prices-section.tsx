"use client";

import { useActionState, useEffect, useId, useRef, useTransition } from "react";
import { removePriceAction, setPriceAction } from "@/app/(dashboard)/_actions/usage";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";

export type PriceView = { credentialId: string; providerName: string; model: string; inputPerMillion: string; outputPerMillion: string };
export type PriceableCredential = { id: string; name: string; model: string };

const SELECT =
  "h-9 w-full min-w-0 rounded-md border border-input bg-card px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-ring";

function RemovePrice({ orgSlug, price }: { orgSlug: string; price: PriceView }) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      variant="ghost"
      size="sm"
      disabled={pending}
      aria-busy={pending}
      aria-label={`Remove price of ${price.providerName} · ${price.model}`}
      onClick={() =>
        startTransition(async () => {
          const result = await removePriceAction(orgSlug, price.credentialId, price.model);
          if (result.ok) toast.success(`Price of ${price.model} removed`);
          else toast.error(result.error);
        })
      }
    >
      Remove
    </Button>
  );
}

/**
 * Prices per million input and output tokens, per model of an org credential: usage then shows an
 * estimated cost. Owners and admins only (the page shows it to nobody else). The table's wrapper is
 * `relative` so the header's sr-only text stays inside the scrolling box (it widened phone screens).
 */
export function PricesSection({
  orgSlug,
  prices,
  credentials,
}: {
  orgSlug: string;
  prices: PriceView[];
  credentials: PriceableCredential[];
}) {
  const [state, action, pending] = useActionState(setPriceAction.bind(null, orgSlug), null);
  const formRef = useRef<HTMLFormElement>(null);
  const uid = useId();
  const failed = state && !state.ok ? state : undefined;
  const saved = state?.ok ? state.data : undefined;
  const errors = failed?.fieldErrors;

  useEffect(() => {
    if (!saved) return;
    toast.success(`Price of ${saved.model} saved`);
    formRef.current?.reset();
  }, [saved]);

  return (
    <Card id="prices" className="min-w-0">
      <CardHeader>
        <CardTitle>Prices</CardTitle>
        <CardDescription>
          Optional: a price per million input and output tokens for a model of one of the organization’s credentials. Usage then shows an
          estimated cost. BYOK has no built-in price list; use your provider’s.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {prices.length > 0 ? (
          <div className="relative overflow-x-auto rounded-lg border">
            <table className="w-full min-w-[32rem] text-sm">
              <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Credential
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Model
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Input / 1M tokens
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Output / 1M tokens
                  </th>
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {prices.map((price) => (
                  <tr key={`${price.credentialId}\u0000${price.model}`} className="border-t">
                    <td className="px-3 py-2">{price.providerName}</td>
                    <td className="max-w-64 truncate px-3 py-2" title={price.model}>
                      {price.model}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{price.inputPerMillion}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{price.outputPerMillion}</td>
                    <td className="px-3 py-1 text-right">
                      <RemovePrice orgSlug={orgSlug} price={price} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-sm text-muted-foreground">No prices set.</p>
        )}
        {credentials.length === 0 ? (
          <p className="text-sm text-muted-foreground">Add a provider to the organization to set a price on it.</p>
        ) : (
          <form ref={formRef} action={action} noValidate aria-label="Set a price" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Field id={`${uid}-credential`} label="Credential" error={errors?.credentialId}>
              <select
                {...fieldAria(`${uid}-credential`, errors?.credentialId)}
                name="credentialId"
                defaultValue={failed?.values?.credentialId ?? credentials[0]!.id}
                className={SELECT}
              >
                {credentials.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${uid}-model`} label="Model" error={errors?.model}>
              <Input
                {...fieldAria(`${uid}-model`, errors?.model, true)}
                name="model"
                maxLength={200}
                placeholder={credentials[0]!.model}
                defaultValue={failed?.values?.model ?? ""}
                autoComplete="off"
                spellCheck={false}
                required
              />
            </Field>
            <Field id={`${uid}-input`} label="Input price per 1M tokens" error={errors?.inputPerMillion}>
              <Input
                {...fieldAria(`${uid}-input`, errors?.inputPerMillion, true)}
                name="inputPerMillion"
                inputMode="decimal"
                placeholder="2.50"
                defaultValue={failed?.values?.inputPerMillion ?? ""}
                autoComplete="off"
                required
              />
            </Field>
            <Field id={`${uid}-output`} label="Output price per 1M tokens" error={errors?.outputPerMillion}>
              <Input
                {...fieldAria(`${uid}-output`, errors?.outputPerMillion, true)}
                name="outputPerMillion"
                inputMode="decimal"
                placeholder="10.00"
                defaultValue={failed?.values?.outputPerMillion ?? ""}
                autoComplete="off"
                required
              />
            </Field>
            <div className="sm:col-span-2 lg:col-span-4">
              <Button type="submit" disabled={pending} aria-busy={pending}>
                {pending ? "Saving…" : "Save price"}
              </Button>
            </div>
          </form>
        )}
        {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
      </CardContent>
    </Card>
  );
}
