/**
 * Reads the OpenAPI document into what /docs/api shows: endpoints (one per path, its methods
 * together), their parameters, responses with the error codes each status carries, the ways to
 * authenticate, and the answer's fields. The page renders this and nothing else, so the reference
 * cannot say something the served document does not. Pure.
 */
type Json = Record<string, unknown>;
type DocumentLike = { info: { title: string; version: string; description?: string }; paths?: object; components?: object };

export type ParamView = { name: string; location: string; type: string; required: boolean; description: string };
export type ExampleView = { name: string; summary: string; mediaType: string; text: string };
export type ResponseView = {
  status: string;
  /** For an error status, its reason phrase (the document's description lists the codes, shown here as `codes`). */
  description: string;
  codes: { code: string; summary: string }[];
  headers: { name: string; description: string }[];
  examples: ExampleView[];
};
export type EndpointView = {
  anchor: string;
  methods: string[];
  path: string;
  description: string;
  auth: string[];
  params: ParamView[];
  requestBody?: string;
  responses: ResponseView[];
};
export type AuthView = { id: string; how: string; description: string };
export type FieldView = { name: string; type: string; required: boolean; description: string };
export type SchemaView = { name: string; anchor: string; description: string; fields: FieldView[] };
export type ApiReference = {
  title: string;
  version: string;
  description: string;
  auth: AuthView[];
  endpoints: EndpointView[];
  schemas: SchemaView[];
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const asJson = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const text = (value: unknown) => (typeof value === "string" ? value : "");

/** `/api/v1/gateway/{credentialId}/{path}` → `gateway-credentialid-path`. */
export function anchorOf(path: string): string {
  return path
    .replace(/^\/api\/v1\//, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function readReference(doc: DocumentLike): ApiReference {
  const components = asJson(doc.components);
  const deref = (value: unknown): Json => {
    const node = asJson(value);
    if (typeof node.$ref !== "string") return node;
    const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(node.$ref) ?? [];
    return deref(asJson(components[kind ?? ""])[name ?? ""]);
  };
  const refName = (value: unknown) => /\/([^/]+)$/.exec(text(asJson(value).$ref))?.[1];

  /** A schema's type as a reader would write it: `"key" | "gateway"`, `string | null`, `Record<string, string>`. */
  const typeOf = (value: unknown): string => {
    const schema = deref(value);
    const ref = refName(value);
    if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
    if (ref && schema.type === "object") return ref;
    if (Array.isArray(schema.anyOf)) return schema.anyOf.map(typeOf).join(" | ");
    if (Array.isArray(schema.type)) return schema.type.join(" | ");
    if (schema.type === "array") return `${typeOf(schema.items)}[]`;
    if (schema.type === "object" && schema.additionalProperties !== undefined && !schema.properties) {
      const values = asJson(schema.additionalProperties);
      return `Record<string, ${Object.keys(values).length ? typeOf(values) : "unknown"}>`;
    }
    const format = text(schema.format) || (schema.pattern && schema.type === "string" ? "pattern" : "");
    return `${text(schema.type) || "any"}${format && format !== "pattern" ? ` (${format})` : ""}`;
  };

  /** An object's fields, nested objects flattened as `source.type`. */
  const fieldsOf = (value: unknown, prefix = ""): FieldView[] => {
    const schema = deref(value);
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    return Object.entries(asJson(schema.properties)).flatMap(([name, property]) => {
      const resolved = deref(property);
      const field = {
        name: `${prefix}${name}`,
        type: typeOf(property),
        required: required.has(name),
        description: text(asJson(property).description) || text(resolved.description),
      };
      const nested = resolved.type === "object" && resolved.properties ? fieldsOf(resolved, `${field.name}.`) : [];
      return [nested.length ? { ...field, type: "object" } : field, ...nested];
    });
  };

  const responseOf = (status: string, value: unknown): ResponseView => {
    const response = deref(value);
    const content = asJson(response.content);
    const json = asJson(content["application/json"]);
    const errorBody = status.startsWith("4") || status.startsWith("5");
    const examples = Object.entries(content).flatMap(([mediaType, media]) =>
      errorBody
        ? []
        : Object.entries(asJson(asJson(media).examples)).map(([name, example]) => {
            const value = asJson(example).value;
            return {
              name,
              summary: text(asJson(example).summary),
              mediaType,
              text: typeof value === "string" ? value : JSON.stringify(value, null, 2),
            };
          }),
    );
    const description = text(response.description);
    return {
      status,
      description: errorBody ? description.replace(/:[^]*$/, "") : description,
      codes: errorBody
        ? Object.entries(asJson(json.examples)).map(([code, example]) => ({ code, summary: text(asJson(example).summary) }))
        : [],
      headers: Object.entries(asJson(response.headers)).map(([name, header]) => ({ name, description: text(deref(header).description) })),
      examples,
    };
  };

  const endpoints = Object.entries(asJson(doc.paths)).map(([path, item]): EndpointView => {
    const operations = METHODS.filter((m) => asJson(item)[m]).map((m) => [m, asJson(asJson(item)[m])] as const);
    const first = operations[0]![1];
    const body = operations.map(([, op]) => asJson(op.requestBody)).find((b) => b.description);
    return {
      anchor: anchorOf(path),
      methods: operations.map(([m]) => m.toUpperCase()),
      path,
      description: text(first.description),
      auth: (Array.isArray(first.security) ? first.security : []).flatMap((requirement) => Object.keys(asJson(requirement))),
      params: (Array.isArray(first.parameters) ? first.parameters : []).map((raw) => {
        const param = deref(raw);
        return {
          name: text(param.name),
          location: text(param.in),
          type: typeOf(param.schema),
          required: param.required === true,
          description: text(param.description),
        };
      }),
      requestBody: body ? text(body.description) : undefined,
      responses: Object.entries(asJson(first.responses))
        .sort(([a], [b]) => (a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b)))
        .map(([status, response]) => responseOf(status, response)),
    };
  });

  const auth = Object.entries(asJson(components.securitySchemes)).map(([id, raw]) => {
    const scheme = asJson(raw);
    const how = scheme.type === "http" ? `Authorization: Bearer <token>` : `${text(scheme.name)}: <token>`;
    return { id, how, description: text(scheme.description) };
  });

  const schemas = ["ConfigAnswer", "ErrorBody"]
    .filter((name) => asJson(components.schemas)[name])
    .map((name) => {
      const schema = deref({ $ref: `#/components/schemas/${name}` });
      return { name, anchor: `schema-${name.toLowerCase()}`, description: text(schema.description), fields: fieldsOf(schema) };
    });

  return { title: doc.info.title, version: doc.info.version, description: text(doc.info.description), auth, endpoints, schemas };
}
