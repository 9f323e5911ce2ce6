/**
 * `?format=` of GET /api/v1/config: `json` (the default) or `env` (dotenv text, ./env-format.ts).
 * Errors stay JSON whatever the format: an agent that asked for text still gets a code to act on.
 */
import "server-only";
import { jsonError, jsonOk, NO_STORE } from "@/lib/http";
import { renderEnv } from "./env-format";
import type { ConfigFormat } from "./contract";
import type { AgentConfig } from "./resolve";

export type { ConfigFormat } from "./contract";

/** The 200 answer in the requested format, or 422 when a value cannot be written as dotenv. */
export function configAnswer(config: AgentConfig, format: ConfigFormat): Response {
  if (format === "json") return jsonOk(config);
  const env = renderEnv(config);
  if (!env.ok) {
    return jsonError(
      "unrepresentable_value",
      `The value of ${env.variable} ${env.problem}, which a dotenv file cannot hold safely; use the JSON format (no ?format=env).`,
    );
  }
  return new Response(env.text, { status: 200, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
}
