/**
 * Auth.js (next-auth v5) with the Credentials provider and JWT sessions. `authorize` is the one
 * place a password is checked (lib/auth/sign-in.ts): attempts are throttled per email and client
 * address before verification, and unknown emails and wrong passwords get the same answer in the
 * same time.
 */
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cache } from "react";
import { getDb } from "@/db/client";
import { isAppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import { baseAuthConfig } from "./config";
import { clientIp } from "./request-ip";
import { signInSchema } from "./schemas";
import { recordSignIn } from "./sign-ins";
import { attemptSignIn } from "./sign-in";

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

const nextAuth = NextAuth(() => ({
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
      log.error("auth error", { error: error.name, reason: error.message.split("\n")[0] });
    },
    warn(code: string) {
      if (code !== "debug-enabled") log.warn("auth warning", { code });
    },
    debug() {},
  },
}));

export const { handlers, signIn, signOut } = nextAuth;

/** The current session, once per request. */
export const getSession = cache(() => nextAuth.auth());
