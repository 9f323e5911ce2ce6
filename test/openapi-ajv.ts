/**
 * Checks JSON against the schemas of BYOK's OpenAPI document with ajv: OpenAPI 3.1 schemas are
 * JSON Schema 2020-12. Shared by the unit tests and the e2e checks (e2e/openapi-check.ts), so both
 * judge answers by the published document, not by a copy of it. Formats are not checked: the
 * document carries zod's patterns for date-times and uuids, which are.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";

type Json = Record<string, unknown>;
export type OpenApiLike = { components?: object; paths?: object };

const BASE = "https://byok.test/openapi.json";
const CONFIG_PATH = "/api/v1/config";

/** A copy of `value` whose local `$ref`s point into the document added under BASE. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#") ? `${BASE}${v}` : rebase(v)]),
  );
}

function lookup(doc: object, pointer: string): Json {
  const found = pointer
    .replace(/^#\//, "")
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], doc as unknown);
  if (!found || typeof found !== "object") throw new Error(`The OpenAPI document has nothing at ${pointer}`);
  return found as Json;
}

export type OpenApiValidator = {
  /** null when `json` is a valid ConfigAnswer, else a readable list of what is wrong. */
  configAnswerProblems(json: unknown): string | null;
  /** null when `json` is an error body the document allows for `status` on GET /api/v1/config. */
  configErrorProblems(json: unknown, status: number): string | null;
  /** A compiled component schema, e.g. "ConfigAnswer". */
  schema(name: string): ValidateFunction;
};

export function openApiValidator(doc: OpenApiLike): OpenApiValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: BASE, components: doc.components ?? {} });
  const schema = (name: string) =>
    ajv.getSchema(`${BASE}#/components/schemas/${name}`) ?? ajv.compile({ $ref: `${BASE}#/components/schemas/${name}` });
  const byStatus = new Map<number, ValidateFunction>();
  const problems = (validate: ValidateFunction, json: unknown, what: string) =>
    validate(json)
      ? null
      : `${what} does not match the OpenAPI document: ${ajv.errorsText(validate.errors, { dataVar: what, separator: "; " })}`;

  return {
    schema,
    configAnswerProblems: (json) => problems(schema("ConfigAnswer"), json, "answer"),
    configErrorProblems(json, status) {
      let validate = byStatus.get(status);
      if (!validate) {
        const responses = lookup(doc, `#/paths/${CONFIG_PATH.replace(/\//g, "~1")}/get/responses`);
        let response = responses[String(status)] as Json | undefined;
        if (!response) return `GET ${CONFIG_PATH} does not document status ${status}`;
        if (typeof response.$ref === "string") response = lookup(doc, response.$ref);
        const body = lookup(response, "#/content/application~1json/schema");
        validate = ajv.compile(rebase(body) as Json);
        byStatus.set(status, validate);
      }
      return problems(validate, json, `error body (${status})`);
    },
  };
}
