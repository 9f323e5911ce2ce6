/**
 * The agent API reference, drawn from the OpenAPI document (lib/openapi/reference.ts reads it):
 * contents, authentication, one section per endpoint, then the answer's fields. Server component.
 */
import { FileJsonIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { ApiReference, EndpointView, ResponseView, SchemaView } from "@/lib/openapi/reference";
import { AnchorHeading, CodeBlock, DocTable, MethodBadge, Prose, StatusBadge } from "./doc-parts";

const cell = "px-3 py-2";

function Responses({ responses }: { responses: ResponseView[] }) {
  return (
    <ul className="grid grid-cols-1 gap-3">
      {responses.map((response) => (
        <li key={response.status} className="grid grid-cols-1 gap-2 rounded-lg border p-3">
          <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1 text-sm">
            <StatusBadge status={response.status} />
            <Prose text={response.description} />
          </p>
          {response.codes.length ? (
            <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-[minmax(0,14rem)_1fr] sm:gap-x-4">
              {response.codes.map(({ code, summary }) => (
                <div key={code} className="contents">
                  <dt>
                    <code className="font-mono text-[0.85em] font-semibold break-all">{code}</code>
                  </dt>
                  <dd className="text-muted-foreground">
                    <Prose text={summary} />
                  </dd>
                </div>
              ))}
            </dl>
          ) : null}
          {response.headers.length ? (
            <ul className="grid grid-cols-1 gap-0.5 text-xs text-muted-foreground">
              {response.headers.map((h) => (
                <li key={h.name}>
                  Header <code className="font-mono">{h.name}</code>: <Prose text={h.description} />
                </li>
              ))}
            </ul>
          ) : null}
          {response.examples.map((example, i) => (
            <details key={example.name} open={i === 0} className="group text-sm">
              <summary className="cursor-pointer text-muted-foreground hover:text-foreground">
                Example: <Prose text={example.summary || example.name} /> <span className="font-mono text-xs">({example.mediaType})</span>
              </summary>
              <div className="mt-2">
                <CodeBlock code={example.text} label={`Example: ${example.name}`} />
              </div>
            </details>
          ))}
        </li>
      ))}
    </ul>
  );
}

function Endpoint({ endpoint, authLabels }: { endpoint: EndpointView; authLabels: Map<string, string> }) {
  return (
    <section aria-labelledby={endpoint.anchor} className="grid grid-cols-1 gap-4 border-t pt-8">
      <AnchorHeading id={endpoint.anchor} level={2} className="flex flex-wrap items-center gap-2 text-lg font-semibold tracking-tight">
        {endpoint.methods.map((m) => (
          <MethodBadge key={m} method={m} />
        ))}
        <code className="font-mono text-base break-all">{endpoint.path}</code>
      </AnchorHeading>
      <p className="text-sm leading-relaxed">
        <Prose text={endpoint.description} />
      </p>
      <p className="text-sm text-muted-foreground">
        {endpoint.auth.length ? (
          <>
            Authentication:{" "}
            {endpoint.auth.map((id, i) => (
              <span key={id}>
                {i ? " or " : ""}
                <code className="font-mono text-[0.85em]">{authLabels.get(id) ?? id}</code>
              </span>
            ))}
          </>
        ) : (
          "Public: no token needed."
        )}
      </p>
      {endpoint.params.length ? (
        <div className="grid grid-cols-1 gap-2">
          <h3 className="text-sm font-semibold">Parameters</h3>
          <DocTable head={["Name", "In", "Type", "Description"]} label={`Parameters of ${endpoint.path}`}>
            {endpoint.params.map((p) => (
              <tr key={`${p.location}-${p.name}`}>
                <td className={cell}>
                  <code className="font-mono font-semibold">{p.name}</code>
                  {p.required ? <span className="ml-1 text-xs text-destructive">required</span> : null}
                </td>
                <td className={`${cell} text-muted-foreground`}>{p.location}</td>
                <td className={`${cell} font-mono text-xs`}>{p.type}</td>
                <td className={cell}>
                  <Prose text={p.description} />
                </td>
              </tr>
            ))}
          </DocTable>
        </div>
      ) : null}
      {endpoint.requestBody ? (
        <div className="grid grid-cols-1 gap-1">
          <h3 className="text-sm font-semibold">Request body (POST)</h3>
          <p className="text-sm">
            <Prose text={endpoint.requestBody} />
          </p>
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-2">
        <h3 className="text-sm font-semibold">Responses</h3>
        <Responses responses={endpoint.responses} />
      </div>
    </section>
  );
}

function Schema({ schema }: { schema: SchemaView }) {
  return (
    <section aria-labelledby={schema.anchor} className="grid grid-cols-1 gap-3">
      <AnchorHeading id={schema.anchor} level={3} className="font-mono text-base font-semibold">
        {schema.name}
      </AnchorHeading>
      <p className="text-sm leading-relaxed">
        <Prose text={schema.description} />
      </p>
      <DocTable head={["Field", "Type", "Description"]} label={`Fields of ${schema.name}`}>
        {schema.fields.map((f) => (
          <tr key={f.name}>
            <td className={cell}>
              <code className="font-mono font-semibold">{f.name}</code>
              {f.required ? null : <span className="ml-1 text-xs text-muted-foreground">optional</span>}
            </td>
            <td className={`${cell} font-mono text-xs`}>{f.type}</td>
            <td className={cell}>
              <Prose text={f.description} />
            </td>
          </tr>
        ))}
      </DocTable>
    </section>
  );
}

export function ApiReferenceView({ reference, jsonHref }: { reference: ApiReference; jsonHref: string }) {
  const authLabels = new Map(reference.auth.map((a) => [a.id, a.how]));
  return (
    <article className="grid grid-cols-1 gap-10">
      <header className="grid grid-cols-1 gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{reference.title}</h1>
          <Badge>v{reference.version}</Badge>
        </div>
        <p className="max-w-prose leading-relaxed text-muted-foreground">
          <Prose text={reference.description} />
        </p>
        <p>
          <a
            href={jsonHref}
            className="inline-flex items-center gap-1.5 text-sm font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
          >
            <FileJsonIcon className="size-4" aria-hidden />
            OpenAPI 3.1 document (JSON)
          </a>
        </p>
        <nav aria-label="Contents" className="rounded-lg border bg-card p-4">
          <h2 className="mb-2 text-sm font-semibold">Contents</h2>
          <ul className="grid grid-cols-1 gap-1.5 text-sm">
            <li>
              <a href="#authentication" className="hover:underline">
                Authentication
              </a>
            </li>
            {reference.endpoints.map((e) => (
              <li key={e.anchor} className="flex flex-wrap items-center gap-1.5">
                {e.methods.map((m) => (
                  <MethodBadge key={m} method={m} />
                ))}
                <a href={`#${e.anchor}`} className="font-mono text-xs break-all hover:underline">
                  {e.path}
                </a>
              </li>
            ))}
            <li>
              <a href="#schemas" className="hover:underline">
                Answer and error fields
              </a>
            </li>
          </ul>
        </nav>
      </header>

      <section aria-labelledby="authentication" className="grid grid-cols-1 gap-3">
        <AnchorHeading id="authentication" level={2} className="text-lg font-semibold tracking-tight">
          Authentication
        </AnchorHeading>
        <DocTable head={["Send", "When"]} label="Authentication methods">
          {reference.auth.map((a) => (
            <tr key={a.id}>
              <td className={`${cell} whitespace-nowrap`}>
                <code className="font-mono text-xs font-semibold">{a.how}</code>
              </td>
              <td className={cell}>
                <Prose text={a.description} />
              </td>
            </tr>
          ))}
        </DocTable>
      </section>

      {reference.endpoints.map((e) => (
        <Endpoint key={e.anchor} endpoint={e} authLabels={authLabels} />
      ))}

      <section aria-labelledby="schemas" className="grid grid-cols-1 gap-6 border-t pt-8">
        <AnchorHeading id="schemas" level={2} className="text-lg font-semibold tracking-tight">
          Answer and error fields
        </AnchorHeading>
        {reference.schemas.map((s) => (
          <Schema key={s.name} schema={s} />
        ))}
      </section>
    </article>
  );
}
