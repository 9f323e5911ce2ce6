/**
 * Holds agent answers to the OpenAPI document the running server publishes: fetched from
 * /api/v1/openapi.json once per worker, so the served document — not a copy built in the test
 * process — is what the tests check. Throws with a readable list of mismatches.
 */
import { openApiValidator, type OpenApiValidator } from "../test/openapi-ajv";

let validator: Promise<OpenApiValidator> | undefined;

function servedValidator(): Promise<OpenApiValidator> {
  validator ??= (async () => {
    const res = await fetch(new URL("/api/v1/openapi.json", process.env.E2E_BASE_URL));
    if (!res.ok) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`);
    return openApiValidator((await res.json()) as object);
  })();
  return validator;
}

/** The JSON for a failure message, keys shortened: a test's output is no place for one. */
function shown(json: unknown): string {
  return JSON.stringify(
    json,
    (name, value: unknown) => (name === "apiKey" && typeof value === "string" ? `${value.slice(0, 8)}…` : value),
    2,
  );
}

/** Throws unless `json` is a ConfigAnswer as the served document describes it. */
export async function expectConfigAnswer(json: unknown): Promise<void> {
  const problems = (await servedValidator()).configAnswerProblems(json);
  if (problems) throw new Error(`${problems}\n${shown(json)}`);
}

/** Throws unless `json` is an error body the served document allows with `status` on GET /api/v1/config. */
export async function expectConfigError(json: unknown, status: number): Promise<void> {
  const problems = (await servedValidator()).configErrorProblems(json, status);
  if (problems) throw new Error(`${problems}\n${shown(json)}`);
}
