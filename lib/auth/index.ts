/**
 * Auth.js (next-auth v5) with the Credentials provider and JWT sessions. `authorize` is the one
 * place a password is checked (lib/auth/sign-in.ts): attempts are throttled per email and client
 * address before verification, and unknown emails and wrong passwords get the same answer in the
 * same time. With OIDC_* configured, an OpenID Connect provider too (lib/auth/sso-sign-in.ts):
 * its signIn callback applies the account rules, and the jwt callback puts OUR user id and
 * session version in the token, never the identity provider's subject.
 */
import "server-only";
import NextAuth, { AuthError, CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { NextRequest } from "next/server";
import { cache } from "react";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import { baseAuthConfig } from "./config";
import { clientIp } from "./request-ip";
import { signInSchema } from "./schemas";
import { recordSignIn } from "./sign-ins";
import { attemptSignIn } from "./sign-in";
import { applyPendingLink, oidcProvider, ssoAccountUser, ssoSignIn } from "./sso-sign-in";
import { OIDC_PROVIDER_ID, ssoSettings } from "./sso-settings";

export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfter: number) {
    super();
  }
}

/** The server could not check the password now (argon2 at capacity); not the user's fault. */
export class SignInBusy extends CredentialsSignin {
  code = "unavailable";
}

type Callbacks = NonNullable<NextAuthConfig["callbacks"]>;

/** baseAuthConfig's callbacks, with the OIDC provider's sign-in rules and account mapping around them. */
function withSsoCallbacks(base: Callbacks): Callbacks {
  return {
    ...base,
    async signIn(params) {
      if (params.account?.provider === OIDC_PROVIDER_ID) {
        const verdict = await ssoSignIn(params.account, params.profile);
        if (verdict !== true) return verdict;
      }
      return base.signIn ? base.signIn(params) : true;
    },
    async jwt(params) {
      if (params.account?.provider !== OIDC_PROVIDER_ID) return base.jwt ? base.jwt(params) : params.token;
      // Auth.js made up a user from the provider's profile (a random id, the provider's name and
      // picture); the token is for our account instead.
      const user = await ssoAccountUser(params.account, params.profile);
      if (!user) return null;
      const { picture: _picture, ...token } = params.token;
      const ours = { id: user.id, name: user.name, email: user.email, sessionVersion: user.sessionVersion };
      const next = { ...params, token: { ...token, sub: user.id, name: user.name, email: user.email }, user: ours };
      return base.jwt ? base.jwt(next) : next.token;
    },
  };
}

/** Auth.js errors that are the user's or the identity provider's doing: a warning with the type, not an error. */
const EXPECTED_SSO_ERRORS = new Set(["OAuthCallbackError", "AccessDenied", "InvalidCheck"]);

/** The first line of an Auth.js error's underlying cause (never its data: that may hold tokens or codes). */
function causeOf(error: Error): string | undefined {
  const cause = (error as AuthError).cause?.err;
  return cause instanceof Error ? `${cause.name}: ${cause.message.split("\n")[0]}`.slice(0, 200) : undefined;
}

/** Adds the OIDC provider (when configured) and its callbacks around baseAuthConfig's. */
function withSso(config: NextAuthConfig): NextAuthConfig {
  const sso = ssoSettings();
  if (!sso) return config;
  return { ...config, providers: [...config.providers, oidcProvider(sso)], callbacks: withSsoCallbacks(config.callbacks ?? {}) };
}

/** Password sign-in; withSso adds single sign-on when configured. */
const authConfig = (): NextAuthConfig => ({
  ...baseAuthConfig(),
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) throw new InvalidCredentials();
        let outcome;
        try {
          outcome = await attemptSignIn(await getDb(), parsed.data, clientIp(request.headers));
        } catch (error) {
          if (isAppError(error) && error.code === "unavailable") throw new SignInBusy();
          throw error;
        }
        if (outcome.ok) {
          await recordSignIn(await getDb(), {
            userId: outcome.user.id,
            method: "password",
            ip: clientIp(request.headers),
            userAgent: request.headers.get("user-agent"),
          }).catch((error: unknown) => log.warn("sign-in not recorded", { reason: describeError(error) }));
          await applyPendingLink(outcome.user);
          return outcome.user;
        }
        if (outcome.reason === "rate_limited") throw new TooManyAttempts(outcome.retryAfter);
        throw new InvalidCredentials();
      },
    }),
  ],
  logger: {
    // Failed sign-ins are expected; log them without Auth.js's stack dump, and never the input.
    error(error: Error) {
      if (error instanceof CredentialsSignin) return;
      const type = error instanceof AuthError ? error.type : error.name;
      if (EXPECTED_SSO_ERRORS.has(type)) {
        // The provider's error code (e.g. access_denied) is safe; its other parameters are not logged.
        const code = (error as AuthError).cause?.error;
        log.warn("sso sign-in failed", { error: type, ...(typeof code === "string" ? { code: code.slice(0, 64) } : {}) });
        return;
      }
      log.error("auth error", { error: type, reason: error.message.split("\n")[0], cause: causeOf(error) });
    },
    warn(code: string) {
      if (code !== "debug-enabled") log.warn("auth warning", { code });
    },
    debug() {},
  },
});

const nextAuth = NextAuth(() => withSso(authConfig()));

export const { signIn, signOut } = nextAuth;

const PUBLIC_HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The request as the browser addressed it. next-auth's server-side signIn builds Auth.js URLs from
 * the Host (or X-Forwarded-Host) and X-Forwarded-Proto headers, but a NextRequest's URL is Next's
 * own, and NextURL spells 127.0.0.1 and [::1] "localhost". The OpenID Connect callback must see
 * the same origin as the sign-in that started it, or its redirect_uri differs from the
 * authorization request's and its redirects leave the browser's host: so Auth.js gets a plain
 * Request at the header-derived origin. Same trust as AUTH_TRUST_HOST (off: left alone).
 */
async function atBrowserOrigin(request: NextRequest): Promise<NextRequest> {
  if (!env.AUTH_TRUST_HOST) return request;
  const host = (request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? "").split(",")[0]!.trim();
  const proto = (request.headers.get("x-forwarded-proto") ?? request.nextUrl.protocol).split(",")[0]!.trim().replace(/:$/, "");
  if (!PUBLIC_HOST.test(host) || (proto !== "http" && proto !== "https")) return request;
  const { pathname, search } = new URL(request.url);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const plain = new Request(`${proto}://${host}${pathname}${search}`, { method: request.method, headers: request.headers, body });
  // Auth.js only uses the Request API; a NextRequest would turn the host back into "localhost".
  return plain as NextRequest;
}

/** Auth.js's route handlers (/api/auth/*), at the browser's origin. */
export const handlers = {
  GET: async (request: NextRequest) => nextAuth.handlers.GET(await atBrowserOrigin(request)),
  POST: async (request: NextRequest) => nextAuth.handlers.POST(await atBrowserOrigin(request)),
};

/** The current session, once per request. */
export const getSession = cache(() => nextAuth.auth());
