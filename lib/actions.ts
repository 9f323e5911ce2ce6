/**
 * The shape every server action returns to `useActionState`, and helpers to build it. Secrets are
 * never echoed back: only the fields named in `echo` are returned as `values`.
 */
import type { z } from "zod";
import { isAppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";

export type ActionState<T = unknown> =
  | { ok: true; message?: string; data?: T; values?: Record<string, string> }
  | {
      ok: false;
      error: string;
      code?: string;
      fieldErrors?: Record<string, string>;
      values?: Record<string, string>;
      /** Details of a failure the UI shows (e.g. a validation report); never a secret. */
      data?: T;
      /** Seconds until a retry may succeed (rate_limited, unavailable). */
      retryAfter?: number;
    };

/** First message per field, keyed by the top-level field name. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

/** The named, non-secret fields of a form, to refill it after a failed submit. */
export function echoValues(formData: FormData, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = formData.get(name);
    if (typeof value === "string") out[name] = value.slice(0, 2000);
  }
  return out;
}

/** Parses a form with a zod schema; failures become an ActionState with field errors. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
  echo: readonly string[] = [],
): { ok: true; data: z.infer<S> } | { ok: false; state: ActionState<never> } {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$")) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    state: {
      ok: false,
      error: "Please correct the highlighted fields.",
      code: "invalid_request",
      fieldErrors: fieldErrorsOf(parsed.error),
      values: echoValues(formData, echo),
    },
  };
}

/** Turns a thrown error into an ActionState: AppErrors keep their safe message, others are logged. */
export function failure(error: unknown, values?: Record<string, string>): ActionState<never> {
  if (isAppError(error)) {
    const retryAfter = error.retryAfter === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfter));
    return {
      ok: false,
      error: error.message,
      code: error.code,
      fieldErrors: error.fieldErrors,
      values,
      ...(retryAfter ? { retryAfter } : {}),
    };
  }
  log.error("action failed", { reason: describeError(error) });
  return { ok: false, error: "Something went wrong on our side. Please try again.", code: "internal", values };
}
