/**
 * GET /api/v1/config as an agent sends it, for specs: every answer is checked against the served
 * OpenAPI document (a 200 must be a ConfigAnswer, anything else an ErrorBody with a code its
 * status may carry), then handed back unchanged for the spec's own assertions.
 */
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { expectConfigAnswer, expectConfigError } from "./openapi-check";

export async function fetchConfig(
  request: APIRequestContext,
  token: string,
  query = "",
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  const res = await request.get(`/api/v1/config${query}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  const type = res.headers()["content-type"] ?? "";
  if (!type.startsWith("application/json")) {
    // dotenv answers are text: the document describes them, ajv has nothing to check.
    if (res.status() === 200 && /[?&]format=env(&|$)/.test(query)) return res;
    throw new Error(`GET /api/v1/config${query} answered ${res.status()} as ${type || "no content type"}, not JSON`);
  }
  const body = (await res.json()) as unknown;
  if (res.status() === 200) await expectConfigAnswer(body);
  else await expectConfigError(body, res.status());
  return res;
}
