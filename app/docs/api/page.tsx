import type { Metadata } from "next";
import { ApiReferenceView } from "@/components/docs/api-reference";
import { OPENAPI_PATH } from "@/lib/openapi/document";
import { readReference } from "@/lib/openapi/reference";
import { servedOpenApiDocument } from "@/lib/openapi/served";

export const metadata: Metadata = { title: "API reference", description: "BYOK's agent API: GET /api/v1/config and the gateway." };

/** Rendered from the very document /api/v1/openapi.json serves, never written out a second time. */
export default function ApiReferencePage() {
  return <ApiReferenceView reference={readReference(servedOpenApiDocument())} jsonHref={OPENAPI_PATH} />;
}
