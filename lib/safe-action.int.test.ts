/**
 * userAction / publicAction as a caller sees them: what reaches the body, and the state that comes
 * back. Bodies are spies, so "refused before anything runs" is checked, not assumed. The real
 * actions are called too, with arguments a forged POST could carry.
 */
// What `next start` sets up first: Next's request storage needs AsyncLocalStorage on globalThis.
import "next/dist/server/node-environment-baseline";
import { randomUUID } from "node:crypto";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { ResponseCookies } from "next/dist/server/web/spec-extension/cookies";
import { notFound, redirect } from "next/navigation";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { signInAction, signUpAction } from "@/app/(auth)/actions";
import { setDeliveryAction, shareCredentialAction, saveCredentialAction } from "@/app/(dashboard)/_actions/credentials";
import { acceptInvitationAction, changeRoleAction, inviteAction } from "@/app/(dashboard)/_actions/orgs";
import { revokeTokenAction } from "@/app/(dashboard)/_actions/tokens";
import type { ActionState } from "@/lib/actions";
import { signUpSchema } from "@/lib/auth/schemas";
import { parseCredentialForm } from "@/lib/credentials/form";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/auth/users";
import { createTestUser } from "@/test/helpers";
import { form, id, previousState, publicAction, scopeSlug, slug, userAction } from "@/lib/safe-action";

const ok = async (): Promise<ActionState> => ({ ok: true });
const invalid = (error: string) => ({ ok: false, code: "invalid_request", error });

function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

/**
 * Runs `fn` inside a request the way Next serves a server action (its work and request stores), so
 * next/headers and Auth.js read a real request: nothing about the session is mocked. `cookie` is
 * the request's Cookie header; cookies the action sets land in `jar`.
 */
function inRequest<T>(
  fn: () => Promise<T>,
  { cookie, jar = new ResponseCookies(new Headers()) }: { cookie?: string; jar?: ResponseCookies } = {},
) {
  const headers = new Headers({ host: "localhost:3000", ...(cookie ? { cookie } : {}) });
  const work = { route: "/test", forceStatic: false, dynamicShouldError: false };
  const request = { type: "request", phase: "action", headers, cookies: jar, userspaceMutableCookies: jar, implicitTags: { tags: [] } };
  return workAsyncStorage.run(work as never, () => workUnitAsyncStorage.run(request as never, fn));
}

describe("arguments", () => {
  it("refuses a malformed id or a forged slug with invalid_request before the body runs", async () => {
    const body = vi.fn(ok);
    const action = publicAction([scopeSlug, id], body);
    for (const [s, i] of [
      [null, "not-a-uuid"],
      [null, `${randomUUID()}' or 1=1 --`],
      ["../admin", randomUUID()],
      ["Acme", randomUUID()],
      ["acme/../other", randomUUID()],
      ["a".repeat(65), randomUUID()],
      [{ slug: "acme" }, randomUUID()],
      [undefined, randomUUID()],
    ] as const) {
      expect(await action(s as string | null, i)).toEqual(invalid("Not found."));
    }
    expect(body).not.toHaveBeenCalled();
    expect(await action("acme-research", randomUUID())).toEqual({ ok: true });
    expect(body).toHaveBeenCalledTimes(1);
  });

  it("hands the body the parsed values, not the raw ones", async () => {
    const body = vi.fn(async (_ctx: unknown, s: string | null, tokenId: string): Promise<ActionState<string>> => ({
      ok: true,
      data: `${s}:${tokenId}`,
    }));
    const tokenId = randomUUID();
    expect(await publicAction([scopeSlug, id], body)(null, tokenId)).toEqual({ ok: true, data: `null:${tokenId}` });
  });

  it("refuses extra arguments", async () => {
    const body = vi.fn(ok);
    const action = publicAction([id], body) as (...args: unknown[]) => Promise<ActionState>;
    expect(await action(randomUUID(), "extra")).toEqual(invalid("Unexpected arguments."));
    expect(await publicAction([], body)(...([formData({})] as unknown as []))).toEqual(invalid("Unexpected arguments."));
    expect(body).not.toHaveBeenCalled();
  });

  it("answers with the argument schema's own message", async () => {
    const body = vi.fn(ok);
    const action = publicAction([z.enum(["key", "gateway"], { error: "Choose what agents receive." })], body);
    expect(await action("everything" as "key")).toEqual(invalid("Choose what agents receive."));
    expect(body).not.toHaveBeenCalled();
  });
});

describe("forms", () => {
  const action = (body: () => Promise<ActionState>) => publicAction([previousState, form(signUpSchema, ["name", "email"])], body);
  const typed = { name: "Ada", email: "ada@example.test", password: "short", $ACTION_ID_abc: "" };

  it("answers a failed form with field errors and only the echo fields, never the password", async () => {
    const body = vi.fn(ok);
    const state = await action(body)(null, formData(typed));
    expect(state).toEqual({
      ok: false,
      code: "invalid_request",
      error: "Please correct the highlighted fields.",
      fieldErrors: { password: expect.stringMatching(/^Use at least \d+ characters\.$/) },
      values: { name: "Ada", email: "ada@example.test" },
    });
    expect(JSON.stringify(state)).not.toContain("short");
    expect(body).not.toHaveBeenCalled();
  });

  it("refuses a form argument that is not a form", async () => {
    const body = vi.fn(ok);
    expect(await action(body)(null, { ...typed, password: "a long enough password" } as unknown as FormData)).toEqual(
      invalid("Invalid request."),
    );
    expect(body).not.toHaveBeenCalled();
  });

  it("gives the body the parsed form and the echo fields", async () => {
    const body = vi.fn(async (ctx: { values: Record<string, string> }, _prev: unknown, input: unknown): Promise<ActionState> => ({
      ok: true,
      data: { input, values: ctx.values },
    }));
    const state = await publicAction([previousState, form(signUpSchema, ["name", "email"])], body)(
      null,
      formData({ ...typed, email: "  Ada@Example.TEST ", password: "a long enough password" }),
    );
    expect(state).toEqual({
      ok: true,
      data: {
        input: { name: "Ada", email: "ada@example.test", password: "a long enough password" },
        values: { name: "Ada", email: "  Ada@Example.TEST " },
      },
    });
  });
});

describe("errors from the body", () => {
  const valid = () => formData({ name: "Ada", email: "ada@example.test", password: "a long enough password" });
  const withForm = (body: () => Promise<ActionState>) => publicAction([previousState, form(signUpSchema, ["name", "email"])], body);

  it("keeps an AppError's code and message, and refills the form", async () => {
    const state = await withForm(async () => {
      throw new AppError("conflict", "An account with this email already exists.");
    })(null, valid());
    expect(state).toMatchObject({
      ok: false,
      code: "conflict",
      error: "An account with this email already exists.",
      values: { name: "Ada", email: "ada@example.test" },
    });
    expect(JSON.stringify(state)).not.toContain("a long enough password");
  });

  it("answers anything else generically, without its message", async () => {
    const state = await withForm(async () => {
      throw new Error('relation "users" does not exist at postgres://admin:hunter2@db');
    })(null, valid());
    expect(state).toEqual({
      ok: false,
      code: "internal",
      error: "Something went wrong on our side. Please try again.",
      values: { name: "Ada", email: "ada@example.test" },
    });
  });

  it("lets redirect() and notFound() from the body through", async () => {
    const redirecting = publicAction([slug], async (ctx, s): Promise<ActionState> => redirect(`/orgs/${s}/models`));
    await expect(redirecting("acme")).rejects.toMatchObject({ digest: expect.stringContaining("/orgs/acme/models") });
    const missing = publicAction([], async (): Promise<ActionState> => notFound());
    await expect(missing()).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });
});

describe("userAction", () => {
  it("answers a signed-out call with unauthorized and does not run the body", async () => {
    const body = vi.fn(ok);
    const state = await inRequest(() => userAction([scopeSlug, id], body)(null, randomUUID()));
    expect(state).toMatchObject({ ok: false, code: "unauthorized", error: "Your session has ended. Sign in again." });
    expect(body).not.toHaveBeenCalled();
  });

  it("parses the arguments before it looks at the session", async () => {
    const body = vi.fn(ok);
    // Outside a request: had the wrapper reached the session, this would fail another way.
    expect(await userAction([scopeSlug, id], body)(null, "1")).toEqual(invalid("Not found."));
    expect(body).not.toHaveBeenCalled();
  });
});

describe("the app's actions", () => {
  const member = randomUUID();

  it("refuse forged ids, slugs, roles, deliveries and sharing before reaching the session", async () => {
    expect(await revokeTokenAction(null, "42")).toEqual(invalid("Not found."));
    expect(await setDeliveryAction("acme", "42", "key")).toEqual(invalid("Not found."));
    expect(await setDeliveryAction(null, randomUUID(), "both" as "key")).toEqual(invalid("Choose what agents receive."));
    expect(await shareCredentialAction("acme", randomUUID(), { mode: "some" as "all", userIds: [] })).toEqual(
      invalid("Choose who may use this provider."),
    );
    expect(await shareCredentialAction("acme", randomUUID(), { mode: "selected", userIds: ["x"] })).toEqual(invalid("Unknown member."));
    expect(await changeRoleAction("acme", member, "superuser" as "owner")).toEqual(invalid("Choose a role: owner, admin or member."));
    expect(await changeRoleAction("ACME", member, "admin")).toEqual(invalid("Not found."));
    expect(await acceptInvitationAction("byoki_short")).toEqual(invalid("This invitation link is not valid."));
    expect(await inviteAction("acme", null, formData({ email: "nobody", role: "admin" }))).toMatchObject({
      fieldErrors: { email: "Enter a valid email address, like name@example.com." },
      values: { email: "nobody", role: "admin" },
    });
  });

  it("answer a bad provider card with parseCredentialForm's field errors, and no secret", async () => {
    const card = formData({
      provider: "openai",
      apiHost: "ftp://example.test",
      model: "gpt 4",
      parameters: "{oops",
      "field.apiKey": "sk-secret-value-1234",
    });
    const expected = parseCredentialForm(card);
    expect(expected.ok).toBe(false);
    const state = await saveCredentialAction(null, card);
    expect(state).toMatchObject({ ok: false, code: "invalid_request", fieldErrors: expected.ok ? {} : expected.fieldErrors });
    expect(Object.keys(state.ok ? {} : (state.fieldErrors ?? {}))).toEqual(expect.arrayContaining(["apiHost", "model", "parameters"]));
    expect(JSON.stringify(state)).not.toContain("sk-secret");
  });

  it("require a session once the arguments are valid", async () => {
    expect(await inRequest(() => changeRoleAction("acme", member, "admin"))).toMatchObject({ code: "unauthorized" });
    expect(await inRequest(() => setDeliveryAction(null, randomUUID(), "gateway"))).toMatchObject({ code: "unauthorized" });
  });
});

describe("sign-in and sign-up", () => {
  it("answer a wrong password with the same message, refilling the email and callbackUrl only", async () => {
    const user = await createTestUser(await getDb());
    for (const email of [user.email, `nobody-${randomUUID()}@example.test`]) {
      const typed = { email: email.toUpperCase(), password: "not the password", callbackUrl: "/orgs/acme/models" };
      const state = await inRequest(() => signInAction(null, formData(typed)));
      expect(state).toEqual({
        ok: false,
        code: "invalid_credentials",
        error: "Incorrect email or password.",
        values: { email: typed.email, callbackUrl: typed.callbackUrl },
      });
    }
    const withoutCallback = await inRequest(() => signInAction(null, formData({ email: user.email, password: "not the password" })));
    expect(withoutCallback).toMatchObject({ code: "invalid_credentials", values: { email: user.email } });
  });

  it("let the redirect of a good password through, to the callbackUrl, with a session that userAction accepts", async () => {
    const db = await getDb();
    const email = `ok-${randomUUID()}@example.test`;
    await createUser(db, signUpSchema.parse({ name: "Ok", email, password: "a long enough password" }));
    const jar = new ResponseCookies(new Headers());
    const typed = { email, password: "a long enough password", callbackUrl: "/orgs/acme/models" };
    await expect(inRequest(() => signInAction(null, formData(typed)), { jar })).rejects.toMatchObject({
      digest: expect.stringContaining("/orgs/acme/models"),
    });
    const cookie = jar
      .getAll()
      .map(({ name, value }) => `${name}=${value}`)
      .join("; ");
    expect(cookie).toContain("session-token=");

    const body = vi.fn(async ({ actor }: { actor: { email: string } }, tokenId: string): Promise<ActionState<string>> => ({
      ok: true,
      data: `${actor.email} ${tokenId}`,
    }));
    const tokenId = randomUUID();
    expect(await inRequest(() => userAction([id], body)(tokenId), { cookie })).toEqual({ ok: true, data: `${email} ${tokenId}` });
    expect(await inRequest(() => userAction([id], body)("nope"), { cookie })).toEqual(invalid("Not found."));
    expect(body).toHaveBeenCalledTimes(1);
  });

  it("refuse a taken email on its field, refilling name and email, never the password", async () => {
    const user = await createTestUser(await getDb());
    const typed = { name: "Ada", email: user.email, password: "a long enough password", callbackUrl: "/agent/tokens" };
    const state = await inRequest(() => signUpAction(null, formData(typed)));
    expect(state).toMatchObject({
      ok: false,
      code: "conflict",
      fieldErrors: { email: expect.any(String) },
      values: { name: "Ada", email: user.email },
    });
    expect(JSON.stringify(state)).not.toContain(typed.password);
  });

  it("answer a sign-up form with a missing field on that field only", async () => {
    const state = await signUpAction(null, formData({ name: "Ada", email: "ada@example.test" }));
    expect(state).toMatchObject({ code: "invalid_request", fieldErrors: { password: "Choose a password." }, values: { name: "Ada" } });
    expect(Object.keys(state.ok ? {} : (state.fieldErrors ?? {}))).toEqual(["password"]);
  });
});
