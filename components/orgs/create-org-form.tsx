"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import { createOrgAction } from "@/app/(dashboard)/_actions/orgs";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { slugify } from "@/lib/orgs/slug";

/** "Organization name" and an optional "URL slug", with a live preview of the address. */
export function CreateOrgForm() {
  const [state, action, pending] = useActionState(createOrgAction, null);
  const failed = state && !state.ok ? state : undefined;
  const errors = failed?.fieldErrors ?? {};
  const [name, setName] = useState(failed?.values?.name ?? "");
  const [slug, setSlug] = useState(failed?.values?.slug ?? "");
  const preview = slug.trim() ? slug.trim().toLowerCase() : slugify(name);
  const formRef = useRef<HTMLFormElement>(null);

  // After a failed submit, put the cursor in the first field that needs a change.
  useEffect(() => {
    if (failed?.fieldErrors) formRef.current?.querySelector<HTMLInputElement>("[aria-invalid=true]")?.focus();
  }, [failed]);

  return (
    <form ref={formRef} action={action} className="grid gap-4" noValidate>
      {failed && !failed.fieldErrors ? <FormAlert message={failed.error} /> : null}
      <Field id="org-name" label="Organization name" error={errors.name}>
        <Input
          {...fieldAria("org-name", errors.name)}
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={80}
          placeholder="Acme Research"
          autoComplete="organization"
          autoFocus
          required
          disabled={pending}
        />
      </Field>
      <Field
        id="org-slug"
        label={
          <>
            URL slug <span className="font-normal text-muted-foreground">(optional)</span>
          </>
        }
        error={errors.slug}
        hint="Lowercase letters, digits and dashes. Leave empty to use one made from the name."
      >
        <Input
          {...fieldAria("org-slug", errors.slug, true)}
          name="slug"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          maxLength={48}
          placeholder={slugify(name) || "acme-research"}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          disabled={pending}
        />
      </Field>
      <p className="rounded-md border bg-muted/40 px-3 py-2 text-sm break-all text-muted-foreground" aria-live="polite">
        Address: {preview ? <span className="font-mono text-foreground">/orgs/{preview}</span> : <span>type a name to see it</span>}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Creating…" : "Create organization"}
        </Button>
        <Button asChild variant="ghost">
          <Link href="/agent/models">Cancel</Link>
        </Button>
      </div>
    </form>
  );
}
