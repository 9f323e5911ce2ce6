"use client";

import { Field, fieldAria } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { PasswordInput } from "@/components/ui/password-input";
import { FIELD_PREFIX } from "@/lib/credentials/field-names";
import type { ProviderDefinition } from "@/lib/providers/types";
import { ModelField } from "./model-field";
import type { StoredCredential } from "./types";

export type FieldValues = Record<string, string>;

/** Initial values of a card's inputs: the stored configuration, else the provider's defaults. */
export function initialValues(definition: ProviderDefinition, stored: StoredCredential | null): FieldValues {
  const values: FieldValues = {
    apiHost: stored?.apiHost ?? definition.defaultApiHost ?? "",
    model: stored?.model ?? definition.defaultModel,
    parameters: stored?.parameters ?? "",
  };
  for (const field of definition.fields) {
    if (!field.secret) values[`${FIELD_PREFIX}${field.name}`] = stored?.extra[field.name] ?? field.defaultValue ?? "";
  }
  return values;
}

/** The inputs of a provider card, in catalog order: secrets, API Host, Model Type, extra fields, parameters. */
export function CredentialFields(props: {
  uid: string;
  definition: ProviderDefinition;
  stored: StoredCredential | null;
  values: FieldValues;
  onChange: (name: string, value: string) => void;
  errors: Record<string, string>;
  seenModels?: string[];
}) {
  const { uid, definition, stored, values, onChange, errors } = props;
  const bind = (name: string) => ({
    value: values[name] ?? "",
    onChange: (e: { target: { value: string } }) => onChange(name, e.target.value),
  });
  // Catalog order, with API Host and Model Type right after the last secret field.
  const split = definition.fields.findLastIndex((f) => f.secret) + 1;
  const leading = definition.fields.slice(0, split);
  const trailing = definition.fields.slice(split);
  const renderField = (field: ProviderDefinition["fields"][number]) => {
    const id = `${uid}-${field.name}`;
    const name = `${FIELD_PREFIX}${field.name}`;
    if (!field.secret) {
      return (
        <Field key={field.name} id={id} label={field.label} error={errors[field.name]} hint={field.help}>
          <Input
            {...fieldAria(id, errors[field.name], Boolean(field.help))}
            name={name}
            {...bind(name)}
            placeholder={field.placeholder}
            spellCheck={false}
          />
        </Field>
      );
    }
    const hint = stored?.secretHints[field.name];
    const help = hint ? "Stored. Leave empty to keep it, or paste a new one to replace it." : field.help;
    return (
      <Field key={field.name} id={id} label={field.label} error={errors[field.name]} hint={help}>
        <PasswordInput
          {...fieldAria(id, errors[field.name], Boolean(help))}
          name={name}
          {...bind(name)}
          placeholder={hint ?? field.placeholder ?? (field.required ? "" : "Optional")}
        />
      </Field>
    );
  };

  return (
    <>
      {leading.map(renderField)}
      <Field id={`${uid}-apiHost`} label="API Host" error={errors.apiHost}>
        <Input
          {...fieldAria(`${uid}-apiHost`, errors.apiHost)}
          name="apiHost"
          type="url"
          inputMode="url"
          spellCheck={false}
          {...bind("apiHost")}
          placeholder={definition.apiHostPlaceholder ?? definition.defaultApiHost}
        />
      </Field>
      <ModelField
        id={`${uid}-model`}
        provider={definition.id}
        storedVersion={stored?.version ?? null}
        value={values.model ?? ""}
        onChange={(value) => onChange("model", value)}
        placeholder={definition.defaultModel}
        catalog={definition.suggestedModels}
        seen={props.seenModels}
        error={errors.model}
      />
      {trailing.map(renderField)}
      <details className="group" open={Boolean(values.parameters) || Boolean(errors.parameters)}>
        <summary className="cursor-pointer text-sm font-medium text-muted-foreground select-none hover:text-foreground">
          Model Parameters (optional)
        </summary>
        <Field
          id={`${uid}-parameters`}
          label="Model Parameters (JSON)"
          error={errors.parameters}
          hint="A JSON object handed to agents as `parameters`."
          className="mt-2"
        >
          <Textarea
            {...fieldAria(`${uid}-parameters`, errors.parameters, true)}
            name="parameters"
            rows={3}
            spellCheck={false}
            {...bind("parameters")}
            placeholder='{"temperature":0.2,"max_tokens":4096}'
          />
        </Field>
      </details>
    </>
  );
}
