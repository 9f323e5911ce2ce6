"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type Suggestions = { models: string[]; source: "provider" | "catalog" };

async function fetchSuggestions(query: string): Promise<Suggestions> {
  const res = await fetch(`/api/models?${query}`, { cache: "no-store" });
  if (!res.ok) throw Object.assign(new Error("suggestions unavailable"), { status: res.status });
  return (await res.json()) as Suggestions;
}

/**
 * "Model Type": free text with suggestions (a native combobox: input + datalist). Suggestions are
 * the provider's own list for a stored credential (fetched server-side, cached), the models seen
 * while validating, and the catalog's documented names. With `credentialId` (a profile's entry),
 * the list of that credential, which may be an org's.
 */
export function ModelField(props: {
  id: string;
  provider: string;
  /** Suggest the models of this credential (any the user may use) instead of the user's own card's. */
  credentialId?: string;
  /** Stored credential version: refetch when it changes; no fetch when not configured. */
  storedVersion: number | null;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  catalog: string[];
  seen?: string[];
  error?: string;
}) {
  const query = props.credentialId
    ? `credential=${encodeURIComponent(props.credentialId)}`
    : `provider=${encodeURIComponent(props.provider)}`;
  const { data } = useQuery({
    queryKey: ["models", query, props.storedVersion],
    queryFn: () => fetchSuggestions(query),
    enabled: props.storedVersion !== null || Boolean(props.credentialId),
    staleTime: 5 * 60_000,
  });
  const options = useMemo(
    () => [...new Set([...(props.seen ?? []), ...(data?.models ?? []), ...props.catalog])].slice(0, 500),
    [props.seen, data, props.catalog],
  );
  const listId = `${props.id}-options`;
  const hint = data?.source === "provider" ? `${data.models.length} models available with this key. Typing is free.` : undefined;
  return (
    <Field id={props.id} label="Model Type" error={props.error} hint={hint}>
      <Input
        {...fieldAria(props.id, props.error, Boolean(hint))}
        name="model"
        spellCheck={false}
        autoComplete="off"
        list={listId}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        placeholder={props.placeholder}
      />
      <datalist id={listId}>
        {options.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
    </Field>
  );
}
