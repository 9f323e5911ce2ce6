/**
 * The document this BYOK serves: built once per process, with APP_URL (when set) as its server,
 * and kept as the text /api/v1/openapi.json answers with.
 */
import "server-only";
import { configuredOrigin } from "@/lib/app-url";
import { buildOpenApiDocument, type OpenApiDocument } from "./document";

let served: { document: OpenApiDocument; json: string } | undefined;

function build() {
  const document = buildOpenApiDocument({ origin: configuredOrigin() });
  return { document, json: JSON.stringify(document) };
}

/** The served document (for /docs/api). Treat it as read-only: it is shared. */
export function servedOpenApiDocument(): OpenApiDocument {
  return (served ??= build()).document;
}

/** The served document as JSON text. */
export function servedOpenApiJson(): string {
  return (served ??= build()).json;
}
