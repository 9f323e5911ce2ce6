/**
 * One error type for the whole app: a code that maps to an HTTP status and a message that is
 * safe to show. Anything that is not an AppError is logged and answered generically.
 */
export const errorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  path_not_allowed: 403,
  not_found: 404,
  no_default_model: 404,
  provider_not_configured: 404,
  profile_not_found: 404,
  no_usable_model: 404,
  conflict: 409,
  ambiguous_provider: 409,
  payload_too_large: 413,
  unrepresentable_value: 422,
  rate_limited: 429,
  budget_exceeded: 429,
  upstream_unreachable: 502,
  upstream_timeout: 504,
  unavailable: 503,
  decryption_failed: 503,
  config_error: 500,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** Marks AppErrors across copies of this module: Next bundles server code per entry point. */
const APP_ERROR = Symbol.for("byok.AppError");

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds, for 429/503 answers. */
  readonly retryAfter?: number;
  readonly fieldErrors?: Record<string, string>;
  /** Extra, safe fields for the JSON error body (e.g. the org slugs of ambiguous_provider). */
  readonly details?: Record<string, unknown>;
  /** Already logged where it arose (e.g. the database breaker, once per outage): not again per answer. */
  readonly logged?: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retryAfter?: number;
      fieldErrors?: Record<string, string>;
      details?: Record<string, unknown>;
      cause?: unknown;
      logged?: boolean;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorStatus[code];
    this.retryAfter = options.retryAfter;
    this.fieldErrors = options.fieldErrors;
    this.details = options.details;
    this.logged = options.logged;
    Object.defineProperty(this, APP_ERROR, { value: true });
  }
}

/**
 * True for an AppError, including one made by another bundle's copy of this module (the database
 * handle is shared process-wide, so its errors may come from the copy that opened it).
 */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (typeof error === "object" && error !== null && APP_ERROR in error);
}

/** Raised when configuration prevents start-up; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
