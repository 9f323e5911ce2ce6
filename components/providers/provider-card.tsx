"use client";

import { ExternalLinkIcon, Loader2Icon, RefreshCwIcon, StarIcon, Trash2Icon } from "lucide-react";
import { useId, useState, useTransition, type FormEvent } from "react";
import {
  removeCredentialAction,
  revalidateCredentialAction,
  saveCredentialAction,
  setDefaultAction,
  type SaveCredentialState,
} from "@/app/(dashboard)/_actions/credentials";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { toast } from "@/components/ui/toaster";
import type { ProviderDefinition } from "@/lib/providers/types";
import { CredentialFields, initialValues } from "./credential-fields";
import type { GatewayUsageSummary } from "./delivery";
import { DeliveryControl } from "./delivery-control";
import { DefaultBadge, StatusBadge, ToolsBadge } from "./status-badge";
import type { StoredCredential } from "./types";
import { ValidationAlert } from "./validation-alert";

type Props = {
  definition: ProviderDefinition;
  stored: StoredCredential | null;
  isDefault: boolean;
  /** An organization's card (its slug); the user's own when absent. */
  orgSlug?: string;
  /** Gateway requests and tokens in the last 24 h (shown in gateway mode). */
  usage?: GatewayUsageSummary;
  /** Extra controls under the fields (e.g. sharing, for org cards). */
  children?: React.ReactNode;
};
type Failure = Extract<SaveCredentialState, { ok: false }>;

/**
 * One provider: its fields, Save (validate then store), Re-validate, Set as Default and Remove.
 * Inputs are controlled so a failed save keeps what was typed; a successful save remounts the card
 * (keyed by version upstream), which empties the key field and shows the stored key's hint instead.
 */
export function ProviderCard({ definition, stored, isDefault, orgSlug, usage, children }: Props) {
  const scope = orgSlug ?? null;
  const uid = useId();
  const [failed, setFailed] = useState<Failure | null>(null);
  const [saving, startSave] = useTransition();
  const [busy, startTransition] = useTransition();
  const [values, setValues] = useState(() => initialValues(definition, stored));

  const report = failed?.data?.report;
  const formError = failed && !report && !failed.fieldErrors ? failed.error : undefined;
  const disabled = saving || busy;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startSave(async () => {
      const result = await saveCredentialAction(scope, formData);
      if (!result.ok) return setFailed(result);
      setFailed(null);
      const verified = result.data?.report.outcome === "valid";
      toast.success(verified ? `${definition.name} saved and verified` : `${definition.name} saved as Unverified`);
    });
  }

  function run(action: () => Promise<{ ok: boolean; error?: string }>, success: string) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) toast.success(success);
      else toast.error(result.error ?? "Something went wrong.");
    });
  }

  function revalidate(id: string) {
    startTransition(async () => {
      const result = await revalidateCredentialAction(scope, id);
      if (!result.ok) return void toast.error(result.error);
      const checked = result.data!.report;
      if (checked.outcome === "valid") toast.success(`${definition.name}: key, model and a test call all work`);
      else toast.error(`${definition.name}: ${checked.title}`, { description: checked.solution });
    });
  }

  return (
    <Card role="region" aria-labelledby={`${uid}-title`} className="flex flex-col">
      <CardHeader>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <CardTitle id={`${uid}-title`}>{definition.name}</CardTitle>
          <div className="flex flex-wrap items-center gap-1.5">
            {isDefault ? <DefaultBadge /> : null}
            <StatusBadge status={stored ? stored.status : "not_configured"} />
            {stored?.tools ? <ToolsBadge tools={stored.tools} /> : null}
          </div>
        </div>
        <CardDescription>
          {definition.description}{" "}
          {definition.keyUrl ? (
            <a
              href={definition.keyUrl}
              target="_blank"
              rel="noreferrer"
              className="inline-flex items-center gap-0.5 text-primary hover:underline"
            >
              Get a key <ExternalLinkIcon className="size-3" aria-hidden />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
          ) : null}
        </CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate className="flex flex-1 flex-col">
        <CardContent className="grid flex-1 content-start gap-3">
          <input type="hidden" name="provider" value={definition.id} />
          {stored ? <input type="hidden" name="expectedVersion" value={stored.version} /> : null}
          <fieldset disabled={disabled} className="grid gap-3">
            <CredentialFields
              uid={uid}
              definition={definition}
              stored={stored}
              values={values}
              onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
              errors={failed?.fieldErrors ?? {}}
              seenModels={report?.models}
            />
          </fieldset>
          {report ? (
            <ValidationAlert report={report}>
              {report.canSaveAnyway ? (
                <Button type="submit" name="intent" value="save_anyway" variant="outline" size="sm" disabled={disabled}>
                  Save anyway
                </Button>
              ) : null}
            </ValidationAlert>
          ) : null}
          {formError ? (
            <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {formError}
            </p>
          ) : null}
          {stored ? (
            <DeliveryControl
              orgSlug={scope}
              credentialId={stored.id}
              providerName={definition.name}
              initial={stored.delivery}
              usage={usage ?? { requests: 0, tokens: 0 }}
            />
          ) : null}
          {children}
          {stored && !report && stored.status !== "valid" && stored.statusDetail ? (
            <p className="text-xs text-muted-foreground">{stored.statusDetail}</p>
          ) : null}
          <p className="text-xs text-muted-foreground" aria-live="polite">
            {saving ? (
              "Checking the key, the model and a 1-token call with the provider…"
            ) : stored?.validatedAt ? (
              <>
                Last checked <RelativeTime iso={stored.validatedAt} />
              </>
            ) : stored ? null : (
              "Not saved yet."
            )}
          </p>
        </CardContent>
        <CardFooter>
          <Button type="submit" name="intent" value="save" disabled={disabled} aria-busy={saving}>
            {saving ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
            {saving ? "Validating…" : "Save"}
          </Button>
          <Button
            type="button"
            variant="outline"
            disabled={disabled || !stored || isDefault}
            onClick={() =>
              stored &&
              run(() => setDefaultAction(scope, stored.id), `${definition.name} is now ${orgSlug ? "the organization's" : "your"} default`)
            }
          >
            <StarIcon aria-hidden /> Set as Default
          </Button>
          {stored ? (
            <>
              <Button type="button" variant="ghost" disabled={disabled} onClick={() => revalidate(stored.id)}>
                <RefreshCwIcon className={busy ? "animate-spin" : undefined} aria-hidden /> Re-validate
              </Button>
              <ConfirmDialog
                trigger={
                  <Button type="button" variant="ghost" className="ml-auto text-destructive hover:text-destructive" disabled={disabled}>
                    <Trash2Icon aria-hidden /> Remove
                  </Button>
                }
                title={`Remove ${definition.name}?`}
                description={`The stored key is deleted.${isDefault ? " This is the default: agents will get no model until another is chosen." : ""}${orgSlug ? " Members who use it lose it at once." : ""}`}
                confirmLabel="Remove"
                onConfirm={() => run(() => removeCredentialAction(scope, stored.id), `${definition.name} removed`)}
              />
            </>
          ) : null}
        </CardFooter>
      </form>
    </Card>
  );
}
