/**
 * `?format=` of GET /api/v1/config: `json` (the default) or `env` (dotenv text, ./env-format.ts).
 * Errors stay JSON whatever the format: an agent that asked for text still gets a code to act on.
 */
import "server-only";
import { jsonError, NO_STORE } from "@/lib/http";
import { renderEnv } from "./env-format";
import type { ConfigFormat } from "./contract";
import type { ResolvedConfig } from "./resolve";

export type { ConfigFormat } from "./contract";

const JSON_HEADERS = { ...NO_STORE, "Content-Type": "application/json" } as const;

const jsonResponse = (bytes: Uint8Array) => new Response(bytes as BodyInit, { status: 200, headers: JSON_HEADERS });

/** The 200 answer in the requested format, or 422 when a value cannot be written as dotenv. */
export function configAnswer(resolved: Pick<ResolvedConfig, "config" | "json">, format: ConfigFormat): Response {
  // The Response copies the bytes when it is made; they are zeroed right after.
  if (format === "json") return resolved.json(jsonResponse);
  const env = renderEnv(resolved.config());
  if (!env.ok) {
    return jsonError(
      "unrepresentable_value",
      `The value of ${env.variable} ${env.problem}, which a dotenv file cannot hold safely; use the JSON format (no ?format=env).`,
    );
  }
  return new Response(env.text, { status: 200, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
}
