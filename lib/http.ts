/**
 * JSON answers for route handlers: `{"error":{"code","message"}}` with the status of the code,
 * `Cache-Control: no-store`, and Retry-After where it applies. Unexpected errors are logged and
 * answered generically, never with a stack.
 */
import "server-only";
import { errorStatus, isAppError, type ErrorCode } from "@/lib/errors";
import { describeError, log } from "@/lib/log";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

export function jsonOk(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

export function jsonError(code: ErrorCode, message: string, retryAfter?: number, details?: Record<string, unknown>): Response {
  const headers: Record<string, string> = { ...NO_STORE };
  if (retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(retryAfter)));
  return Response.json({ error: { ...details, code, message } }, { status: errorStatus[code], headers });
}

/**
 * Maps a thrown error to a response. AppErrors keep their code and safe message; anything else is
 * logged (one line) and answered 503 `unavailable` — for an agent, retrying later is the right move.
 */
export function errorResponse(error: unknown, context: string): Response {
  if (isAppError(error)) {
    if (error.status >= 500 && !error.logged) log.error(`${context}: ${error.code}`, { reason: error.message });
    const retryAfter = error.retryAfter ?? (error.status === 503 ? 30 : undefined);
    return jsonError(error.code, error.message, retryAfter, error.details);
  }
  log.error(`${context}: unexpected error`, { reason: describeError(error) });
  return jsonError("unavailable", "BYOK cannot answer right now. Retry shortly.", 5);
}
