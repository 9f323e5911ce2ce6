/**
 * Minimal structured logger. One line per event, `key=value` fields, no stack traces unless the
 * level is debug. Never pass secrets: callers log ids and hints, not keys.
 */
import { env } from "@/lib/env";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

function format(fields?: LogFields): string {
  if (!fields) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    parts.push(`${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.length ? ` ${parts.join(" ")}` : "";
}

function write(level: Level, message: string, fields?: LogFields) {
  if (order[level] < order[env.LOG_LEVEL]) return;
  const line = `[byok] ${level}: ${message}${format(fields)}`;
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

/** Describes an unknown thrown value in one line (name and message, no stack). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    // Database errors carry the query's parameters ("params: …"): never log them.
    const cause = error.cause instanceof Error ? error.cause : undefined;
    const code = (error as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code;
    const message = (cause?.message ?? error.message).split(/\n?params:/)[0]!.replace(/\s+/g, " ");
    return withoutUrlCredentials(`${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${message}`).slice(0, 500);
  }
  return withoutUrlCredentials(String(error)).slice(0, 500);
}

/** `postgres://user:pass@host`, `smtp://user:pass@host` → `…//***@host`: connection strings in errors keep no password. */
function withoutUrlCredentials(text: string): string {
  return text.replace(/\/\/[^/@\s]+@/g, "//***@");
}

export const log = {
  debug: (message: string, fields?: LogFields) => write("debug", message, fields),
  info: (message: string, fields?: LogFields) => write("info", message, fields),
  warn: (message: string, fields?: LogFields) => write("warn", message, fields),
  error: (message: string, fields?: LogFields) => write("error", message, fields),
};
