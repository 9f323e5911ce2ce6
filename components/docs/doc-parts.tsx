/**
 * Small pieces of the API reference: inline `code` from the document's descriptions, headings
 * with anchor links, method badges, scrollable tables and code blocks. Server components.
 */
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

/** Renders the document's `backtick` spans as code; everything else stays text (no HTML is interpreted). */
export function Prose({ text, className }: { text: string; className?: string }) {
  const parts = text.split(/`([^`]+)`/);
  return (
    <span className={className}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // Short spans (`Retry-After`, `?provider=`) never break inside; long ones may, anywhere.
          <code
            key={i}
            className={cn("rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]", part.length > 24 ? "break-all" : "whitespace-nowrap")}
          >
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </span>
  );
}

/** A heading that links to itself, for sharing a section's address. */
export function AnchorHeading({ id, level, children, className }: { id: string; level: 2 | 3; children: ReactNode; className?: string }) {
  const Tag = level === 2 ? "h2" : "h3";
  return (
    <Tag id={id} className={cn("group scroll-mt-6", className)}>
      {children}
      <a
        href={`#${id}`}
        className="ml-2 text-muted-foreground opacity-0 transition-opacity group-hover:opacity-100 focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-ring"
        aria-label="Link to this section"
      >
        #
      </a>
    </Tag>
  );
}

const METHOD_STYLE: Record<string, string> = {
  GET: "border-primary/30 bg-primary/10 text-primary",
  POST: "border-success/30 bg-success/10 text-success",
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-md border px-1.5 py-0.5 font-mono text-xs font-semibold",
        METHOD_STYLE[method] ?? "border-border bg-muted text-muted-foreground",
      )}
    >
      {method}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const tone =
    status.startsWith("2") || status === "default" ? "text-success" : status.startsWith("4") ? "text-warning" : "text-destructive";
  return <span className={cn("font-mono text-sm font-semibold", tone)}>{status === "default" ? "any" : status}</span>;
}

/** A table that scrolls sideways on narrow screens instead of widening the page. */
export function DocTable({ head, children, label }: { head: string[]; children: ReactNode; label: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border" role="region" aria-label={label} tabIndex={0}>
      <table className="w-full min-w-[36rem] border-collapse text-left text-sm">
        <thead className="bg-muted/60 text-xs text-muted-foreground">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y align-top">{children}</tbody>
      </table>
    </div>
  );
}

export function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <pre className="overflow-x-auto rounded-lg border bg-muted/40 p-3 font-mono text-xs leading-relaxed" aria-label={label} tabIndex={0}>
      <code>{code}</code>
    </pre>
  );
}
