/**
 * The one way to write a server action. `userAction` / `publicAction` take a zod schema per
 * argument (ids and slugs included: a server action is a public POST endpoint and its arguments are
 * whatever the caller sends) and a body that calls one `lib/` function. The wrapper parses every
 * argument, loads the database and, for `userAction`, the signed-in user (session version checked,
 * see lib/auth/session.ts), runs the body, and turns any error into an ActionState: AppErrors keep
 * their safe message, anything else is logged and answered generically. Redirects and notFound()
 * thrown by the body pass through untouched.
 *
 *   export const revokeTokenAction = userAction([scopeSlug, id], async ({ db, actor }, slug, tokenId) => { … });
 *   export const createTokenAction = userAction([scopeSlug, previousState, form(createTokenSchema, ["name"])], …);
 */
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { getDb, type Database } from "@/db/client";
import { type ActionState, echoValues, failure, fieldErrorsOf } from "@/lib/actions";
import { requireActor } from "@/lib/auth/session";

export type Actor = Awaited<ReturnType<typeof requireActor>>;

/** A FormData argument: its string fields (not Next's `$ACTION_…` ones) parsed with `schema`. */
export type FormArg<S extends z.ZodType> = { kind: "form"; schema: S; echo: readonly string[] };

/** Parses a FormData argument with `schema`; on failure the fields named in `echo` refill the form. */
export function form<S extends z.ZodType>(schema: S, echo: readonly string[] = []): FormArg<S> {
  return { kind: "form", schema, echo };
}

type ArgSpec = z.ZodType | FormArg<z.ZodType>;
type Parsed<A> = A extends FormArg<infer S> ? z.output<S> : A extends z.ZodType ? z.output<A> : never;
type Raw<A> = A extends FormArg<z.ZodType> ? FormData : A extends z.ZodType ? z.input<A> : never;
type ParsedArgs<A extends readonly ArgSpec[]> = { [K in keyof A]: Parsed<A[K]> };
type RawArgs<A extends readonly ArgSpec[]> = { [K in keyof A]: Raw<A[K]> };

/** The previous state `useActionState` passes first; never trusted, never used. */
export const previousState = z.unknown();
/** A database id (uuid). */
export const id = z.uuid({ error: "Not found." });
/** An organization's URL slug. Anything else (a missing one included) is "Not found.". */
export const slug = z
  .string({ error: "Not found." })
  .max(64, { error: "Not found." })
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { error: "Not found." });
/** null for the user's own scope, else an organization's slug. */
export const scopeSlug = slug.nullable();

const INVALID_FORM = "Please correct the highlighted fields.";

function formFields(formData: FormData): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$")) out[key] = value;
  }
  return out;
}

type ParseResult = { ok: true; args: unknown[]; values?: Record<string, string> } | { ok: false; state: ActionState<never> };

const refused = (error: string): ParseResult => ({ ok: false, state: { ok: false, code: "invalid_request", error } });

function parseArgs(specs: readonly ArgSpec[], raw: readonly unknown[]): ParseResult {
  if (raw.length > specs.length) return refused("Unexpected arguments.");
  const args: unknown[] = [];
  let values: Record<string, string> | undefined;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    if ("kind" in spec && spec.kind === "form") {
      const formData = raw[i];
      if (!(formData instanceof FormData)) return refused("Invalid request.");
      values = echoValues(formData, spec.echo);
      const parsed = spec.schema.safeParse(formFields(formData));
      if (!parsed.success)
        return {
          ok: false,
          state: { ok: false, code: "invalid_request", error: INVALID_FORM, fieldErrors: fieldErrorsOf(parsed.error), values },
        };
      args.push(parsed.data);
    } else {
      const parsed = (spec as z.ZodType).safeParse(raw[i]);
      if (!parsed.success) return refused(parsed.error.issues[0]?.message ?? "Invalid request.");
      args.push(parsed.data);
    }
  }
  return { ok: true, args, values };
}

/** What every body gets besides its arguments. */
type Context = {
  db: Database;
  /** The echo fields of the form argument ({} without one), for a body that answers a failure of its own. */
  values: Record<string, string>;
};

async function run<R>(
  specs: readonly ArgSpec[],
  raw: readonly unknown[],
  body: (args: unknown[], values: Record<string, string>) => Promise<R>,
) {
  const parsed = parseArgs(specs, raw);
  if (!parsed.ok) return parsed.state;
  try {
    return await body(parsed.args, parsed.values ?? {});
  } catch (error) {
    unstable_rethrow(error);
    return failure(error, parsed.values);
  }
}

/** An action for a signed-in user: arguments parsed, session and user loaded, errors mapped. */
export function userAction<const A extends readonly ArgSpec[], S extends ActionState<unknown>>(
  specs: A,
  body: (ctx: Context & { actor: Actor }, ...args: ParsedArgs<A>) => Promise<S>,
): (...raw: RawArgs<A>) => Promise<S | ActionState<never>> {
  return async (...raw) =>
    run(specs, raw, async (args, values) => {
      const actor = await requireActor();
      return body({ db: await getDb(), actor, values }, ...(args as ParsedArgs<A>));
    });
}

/** An action anyone may call (sign-in, sign-up, password reset): arguments parsed, errors mapped. */
export function publicAction<const A extends readonly ArgSpec[], S extends ActionState<unknown>>(
  specs: A,
  body: (ctx: Context, ...args: ParsedArgs<A>) => Promise<S>,
): (...raw: RawArgs<A>) => Promise<S | ActionState<never>> {
  return async (...raw) => run(specs, raw, async (args, values) => body({ db: await getDb(), values }, ...(args as ParsedArgs<A>)));
}
