/**
 * Work that must not hold up an answer (sending an email): run after the response with Next's
 * `after()` inside a request, or simply not awaited outside one (scripts, tests). Failures are logged.
 */
import "server-only";
import { after } from "next/server";
import { describeError, log } from "@/lib/log";

/** Schedules `task`; returns at once. */
export type Schedule = (task: () => Promise<unknown>) => void;

const logged = (what: string, task: () => Promise<unknown>) => () =>
  task().catch((error: unknown) => log.warn(`${what} failed`, { reason: describeError(error) }));

/** Runs `task` after the current response (or right away, unawaited, outside a request). */
export function inBackground(what: string): Schedule {
  return (task) => {
    const run = logged(what, task);
    try {
      after(run);
    } catch {
      void run();
    }
  };
}
