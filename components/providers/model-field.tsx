"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type Suggestions = { models: string[]; source: "provider" | "catalog" };

async function fetchSuggestions(provider: string): Promise<Suggestions> {
  const res = await fetch(`/api/models?provider=${encodeURIComponent(provider)}`, { cache: "no-store" });
  if (!res.ok) throw Object.assign(new Error("suggestions unavailable"), { status: res.status });
  return (await res.json()) as Suggestions;
}

/**
 * "Model Type": free text with suggestions (a native combobox: input + datalist). Suggestions are
 * the provider's own list for a stored credential (fetched server-side, cached), the models seen
 * while validating, and the catalog's documented names.
 */
export function ModelField(props: {
  id: string;
  provider: string;
  /** Stored credential version: refetch when it changes; no fetch when not configured. */
  storedVersion: number | null;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  catalog: string[];
  seen?: string[];
  error?: string;
}) {
  const { data } = useQuery({
    queryKey: ["models", props.provider, props.storedVersion],
    queryFn: () => fetchSuggestions(props.provider),
    enabled: props.storedVersion !== null,
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
